package io.quorumvip.agent.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The agent's HTTP face: {@code GET /v1/status} (JSON) and {@code GET /metrics} (Prometheus text). Anything else gets
 * a 4xx with a JSON message naming what was wrong.
 */
public final class StatusServer {

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    /** Three times Prometheus' default scrape timeout (10 s): a client that took no chunk for this long has stopped. */
    private static final Duration CLIENT_PATIENCE = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final Supplier<Future<AgentStatus>> status;
    private final AgentMetrics metrics;
    private HttpServer server;

    /**
     * @param status produces the status on the agent's own context, so the server never reads state across threads
     */
    public StatusServer(Vertx vertx, Supplier<Future<AgentStatus>> status, AgentMetrics metrics) {
        this.vertx = vertx;
        this.status = status;
        this.metrics = metrics;
    }

    public Future<Integer> listen(String host, int port) {
        Router router = Router.router(vertx);
        router.get("/v1/status").handler(this::status);
        router.get("/metrics").handler(this::metrics);
        router.route("/v1/status").handler(ctx -> error(ctx, 405, "method " + ctx.request().method()
                + " not allowed on /v1/status (use GET)"));
        router.route("/metrics").handler(ctx -> error(ctx, 405, "method " + ctx.request().method()
                + " not allowed on /metrics (use GET)"));
        router.route().last().handler(ctx -> error(ctx, 404, "no such resource: " + ctx.request().path()
                + " (try /v1/status or /metrics)"));
        // HTTP/1.1 only: a client asking to upgrade to cleartext HTTP/2 (Java's HttpClient does by default) got, now
        // and then, the streamed /metrics chunks as raw bytes on the upgraded connection, which it read as a frame.
        server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
                .setHttp2ClearTextEnabled(false));
        return server.requestHandler(router).listen().map(HttpServer::actualPort);
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    /**
     * The status is produced on the agent's context; it is rendered on a worker: at 10,000 real servers the JSON is
     * megabytes, and the agent's only event loop also sends the adverts. The answer goes out on the response's context.
     */
    private void status(RoutingContext ctx) {
        Context context = vertx.getOrCreateContext();
        status.get()
                .compose(snapshot -> vertx.executeBlocking(
                        () -> JSON.writerWithDefaultPrettyPrinter().writeValueAsString(snapshot), false))
                .onComplete(result -> context.runOnContext(v -> {
                    if (result.succeeded()) {
                        ctx.response().putHeader("content-type", "application/json").end(result.result());
                    } else if (result.cause() instanceof JsonProcessingException e) {
                        error(ctx, 500, "status could not be rendered: " + e.getOriginalMessage());
                    } else {
                        error(ctx, 500, "status unavailable: " + result.cause().getMessage());
                    }
                }));
    }

    /**
     * The exposition rendered on a worker and streamed into the response as it is rendered ({@link
     * AgentMetrics#scrape(OutputStream)} says why it streams). Not on the event loop: at 10,000 real servers a scrape
     * took 0.6–3.3 s, and the agent's only event loop also sends the adverts (docs/benchmarks.md, issue 12). The
     * worker hands every step to the response's context, so chunks, end and error arrive there in the order made
     * (a completion handler may run on the worker itself and overtake them). A failure before the first chunk is a
     * 500 with the cause; after it, the connection is closed, so the client sees a cut chunked body, never a part
     * taken for the whole. The worker renders no further ahead than {@link ResponseChunks#IN_FLIGHT} chunks the
     * connection has not taken; a client gone mid-scrape ends the rendering, one that reads nothing for {@link
     * #CLIENT_PATIENCE} has its connection closed.
     */
    private void metrics(RoutingContext ctx) {
        Context context = vertx.getOrCreateContext();
        HttpServerResponse response = ctx.response().setChunked(true)
                .putHeader("content-type", metrics.contentType());
        Consumer<Handler<Void>> onResponse = step -> context.runOnContext(v -> {
            if (!response.closed()) {
                step.handle(null);
            }
        });
        Function<Buffer, Future<Void>> send = chunk -> {
            Promise<Void> written = Promise.promise();
            context.runOnContext(v -> {
                if (response.closed()) {
                    written.fail("the client closed the connection");
                } else {
                    response.write(chunk).onComplete(written);
                }
            });
            return written.future();
        };
        vertx.executeBlocking(() -> {
            try (ResponseChunks body = new ResponseChunks(send, CLIENT_PATIENCE)) {
                metrics.scrape(body);
            } catch (IOException | RuntimeException e) {
                onResponse.accept(v -> {
                    if (response.headWritten()) {
                        ctx.request().connection().close();
                    } else {
                        error(ctx, 500, "metrics could not be rendered: " + e.getMessage());
                    }
                });
                return null;
            }
            onResponse.accept(v -> response.end());
            return null;
        }, false);
    }

    private static void error(RoutingContext ctx, int code, String message) {
        String body;
        try {
            body = JSON.writeValueAsString(java.util.Map.of("error", message));
        } catch (JsonProcessingException e) {
            body = "{\"error\":\"unrenderable error\"}";
        }
        ctx.response().setStatusCode(code).putHeader("content-type", "application/json").end(body);
    }
}
