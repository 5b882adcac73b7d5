package io.quorumvip.agent.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.Supplier;

/**
 * The agent's HTTP face: {@code GET /v1/status} (JSON) and {@code GET /metrics} (Prometheus text). Anything else gets
 * a 4xx with a JSON message naming what was wrong.
 */
public final class StatusServer {

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

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

    private void status(RoutingContext ctx) {
        status.get().onComplete(result -> {
            if (result.failed()) {
                error(ctx, 500, "status unavailable: " + result.cause().getMessage());
                return;
            }
            try {
                ctx.response().putHeader("content-type", "application/json")
                        .end(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result.result()));
            } catch (JsonProcessingException e) {
                error(ctx, 500, "status could not be rendered: " + e.getOriginalMessage());
            }
        });
    }

    /**
     * The exposition streamed into the response as it is rendered ({@link AgentMetrics#scrape(OutputStream)} says
     * why). A failure before the first chunk is a 500 with the cause; after it, the connection is closed, so the
     * client sees a cut chunked body, never a part taken for the whole.
     */
    private void metrics(RoutingContext ctx) {
        HttpServerResponse response = ctx.response().setChunked(true)
                .putHeader("content-type", metrics.contentType());
        try (ResponseChunks body = new ResponseChunks(response)) {
            metrics.scrape(body);
        } catch (IOException | RuntimeException e) {
            if (response.headWritten()) {
                ctx.request().connection().close();
            } else {
                error(ctx, 500, "metrics could not be rendered: " + e.getMessage());
            }
            return;
        }
        response.end();
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
