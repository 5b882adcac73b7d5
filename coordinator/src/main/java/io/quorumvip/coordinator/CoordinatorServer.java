package io.quorumvip.coordinator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quorumvip.events.EventType;
import io.quorumvip.events.HybridLogicalClock;
import io.quorumvip.forensics.ForensicsSettings;
import io.quorumvip.journal.ReplayCommand;
import io.quorumvip.journal.TimeArgument;
import io.quorumvip.replay.ClusterView;
import io.quorumvip.replay.InstanceView;
import io.quorumvip.replay.NodeView;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's HTTP face: ingest of agents' journal records and the query API (see docs/coordinator.md).
 * Storage and folding run on Vert.x worker threads (they fsync and may fold many records); every answer is JSON,
 * every error a JSON {@code {"error": ...}} naming what was wrong.
 */
public final class CoordinatorServer {

    private static final Logger log = LoggerFactory.getLogger(CoordinatorServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_BODY_BYTES = 16 << 20;
    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 10_000;
    /**
     * Records one {@code /v1/events?types=} request reads at most under the store's lock: a page of a rare type may
     * come back short (then {@code more} is set and the client goes on from {@code next}).
     */
    static final int TYPES_READ_LIMIT = 100_000;
    /** Records a stream client may have waiting to be written before it is dropped (and resumes from the store). */
    static final int STREAM_QUEUE_CAPACITY = 10_000;
    /** The longest a {@code /v1/forensics} answer may take before it is cancelled (ask for a window instead). */
    static final Duration FORENSICS_DEADLINE = Duration.ofSeconds(30);
    /** The longest a start spends warming up forensics (a few hundred ms on this machine at 2 x 10M records). */
    static final Duration WARM_UP_BOUND = Duration.ofSeconds(3);
    /** The longest a start spends warming up {@code /v1/state?at=} (it folds at most 4,096 records per node). */
    static final Duration STATE_WARM_UP_BOUND = Duration.ofSeconds(1);
    private static final WarmUp NOTHING_STORED = new WarmUp.Skipped("nothing is stored");

    private final Vertx vertx;
    private final ClusterStore store;
    private final NodeTokens tokens;
    private final EventStream stream;
    private final ForensicsJobs forensicsJobs;
    private final IncidentFollower follower;
    private final WarmUp warmedUp;
    private final WarmUp stateWarmedUp;
    private HttpServer server;

    private CoordinatorServer(Vertx vertx, ClusterStore store, NodeTokens tokens, int streamQueueCapacity,
                              IncidentFollower follower, ForensicsJobs forensicsJobs, WarmUp warmedUp,
                              WarmUp stateWarmedUp) {
        this.vertx = vertx;
        this.warmedUp = warmedUp;
        this.stateWarmedUp = stateWarmedUp;
        this.store = store;
        this.follower = follower;
        this.tokens = tokens;
        this.stream = new EventStream(vertx, store, streamQueueCapacity);
        this.forensicsJobs = forensicsJobs;
    }

    /**
     * Opens the node archives under {@code dataDir} (recovering what each stored) and listens on {@code host:port}
     * (port 0: any free port, see {@link #port()}).
     */
    public static Future<CoordinatorServer> start(Vertx vertx, Path dataDir, NodeTokens tokens, String host, int port,
                                                  LongSupplier wallMicros) {
        return start(vertx, dataDir, tokens, host, port, wallMicros, STREAM_QUEUE_CAPACITY);
    }

    static Future<CoordinatorServer> start(Vertx vertx, Path dataDir, NodeTokens tokens, String host, int port,
                                           LongSupplier wallMicros, int streamQueueCapacity) {
        return vertx.executeBlocking(() -> {
                    ClusterStore store = ClusterStore.open(dataDir, wallMicros);
                    IncidentFollower follower = null;
                    try {
                        follower = IncidentFollower.start(store, dataDir.resolve("incidents"), System::nanoTime);
                        ForensicsJobs jobs = new ForensicsJobs(store, follower, FORENSICS_DEADLINE,
                                dataDir.resolve("forensics"));
                        OptionalLong newest = store.cluster().nodes().values().stream()
                                .mapToLong(NodeView::lastWallMicros).max();
                        WarmUp warmedUp = logged("forensics", "the page's first window", "the first window asked",
                                newest.isEmpty() ? NOTHING_STORED
                                        : jobs.warmUp(ForensicsJobs.warmUpWindow(newest.getAsLong()), WARM_UP_BOUND));
                        WarmUp stateWarmedUp = logged("/v1/state?at=", "the state at the newest record's time",
                                "the first state asked",
                                newest.isEmpty() ? NOTHING_STORED
                                        : warmUpState(store, newest.getAsLong(), STATE_WARM_UP_BOUND));
                        return new CoordinatorServer(vertx, store, tokens, streamQueueCapacity, follower, jobs,
                                warmedUp, stateWarmedUp);
                    } catch (IOException | RuntimeException e) {
                        if (follower != null) {
                            follower.close();
                        }
                        store.close();
                        throw e;
                    }
                }, false)
                .compose(coordinator -> coordinator.listen(host, port)
                        .map(coordinator)
                        .recover(e -> coordinator.closeQuietly().compose(v -> Future.failedFuture(e))));
    }

    /**
     * Logs how a warm-up at start ended: {@code what} was warmed up by answering {@code question} once before the
     * server listens ({@link ForensicsJobs#warmUp}, {@link #warmUpState}), so that {@code first} after a start runs
     * warm code; nothing stored, nothing to warm.
     */
    private static WarmUp logged(String what, String question, String first, WarmUp outcome) {
        if (outcome instanceof WarmUp.Answered answered) {
            log.info("{} warmed up: {} answered in {} ms and discarded", what, question, answered.took().toMillis());
        } else if (outcome instanceof WarmUp.Skipped skipped) {
            log.info("{} not warmed up: {}; {} may take a few hundred ms more", what, skipped.why(), first);
        } else if (outcome instanceof WarmUp.Stopped stopped) {
            log.warn("{} warm-up stopped: {}; {} may take a few hundred ms more", what, stopped.why(), first);
        }
        return outcome;
    }

    /**
     * Answers {@code /v1/state?at=} for {@code atWallMicros} (its millisecond) as a request would, on a thread of its
     * own, and discards the answer. Why: a fresh JVM runs that code (the checkpoint's copy, the archive's reader, the
     * replay fold, the JSON) interpreted and loads its classes on first use, so the first state asked after a start
     * paid for that. Waits at most {@code bound}; it is not interrupted then, since it reads the archives through
     * their shared channels, which an interrupt would close: it ends on its own, having changed nothing.
     */
    static WarmUp warmUpState(ClusterStore store, long atWallMicros, Duration bound) {
        long started = System.nanoTime();
        long hlcLimit = HybridLogicalClock.endOfMillis(Math.floorDiv(atWallMicros, 1000));
        FutureTask<String> job = new FutureTask<>(() -> JSON.writeValueAsString(stateJson(store, hlcLimit)));
        Thread thread = new Thread(job, "state-warm-up");
        thread.setDaemon(true);
        thread.start();
        try {
            job.get(bound.toNanos(), TimeUnit.NANOSECONDS);
            return new WarmUp.Answered(Duration.ofNanos(System.nanoTime() - started));
        } catch (TimeoutException e) {
            return new WarmUp.Stopped("not done within " + bound.toMillis() + " ms");
        } catch (ExecutionException e) {
            return new WarmUp.Skipped("it failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new WarmUp.Stopped("interrupted");
        }
    }

    /** How the warm-up of forensics at start ended. */
    WarmUp warmedUp() {
        return warmedUp;
    }

    /** How the warm-up of {@code /v1/state?at=} at start ended. */
    WarmUp stateWarmedUp() {
        return stateWarmedUp;
    }

    public int port() {
        return server.actualPort();
    }

    /** Stops listening and closes the archives (everything acknowledged is already on disk). */
    public Future<Void> close() {
        return server.close().compose(v -> vertx.executeBlocking(() -> {
            forensicsJobs.close();
            follower.close();
            store.close();
            return null;
        }, false));
    }

    private Future<Void> listen(String host, int port) {
        Router router = Router.router(vertx);
        router.post("/v1/nodes/:node/records").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
                .handler(this::ingest);
        router.get("/v1/events").handler(this::events);
        router.get("/v1/cluster").handler(ctx -> answer(ctx, () -> clusterJson(store.cluster())));
        router.get("/v1/state").handler(this::state);
        router.get("/v1/forensics").handler(this::forensics);
        router.get("/v1/forensics/fold").handler(ctx -> send(ctx, 200, foldJson(follower.status())));
        router.get("/v1/stream").handler(stream::handle);
        router.get("/*").handler(StaticHandler.create("web").setCachingEnabled(false).setDefaultContentEncoding("UTF-8"));
        router.route().last().handler(ctx -> error(ctx, 404, "no such resource: " + ctx.request().method() + " "
                + ctx.request().path() + " (try GET / for the page, POST /v1/nodes/NODE/records, GET /v1/events, /v1/cluster,"
                + " /v1/state, /v1/forensics, /v1/forensics/fold, /v1/stream)"));
        server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port));
        return server.requestHandler(router).listen().mapEmpty();
    }

    private void ingest(RoutingContext ctx) {
        String node = ctx.pathParam("node");
        String authorization = ctx.request().getHeader("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            error(ctx, 401, "missing 'Authorization: Bearer TOKEN' (expected the token configured for node '" + node + "')");
            return;
        }
        if (!tokens.accepts(node, authorization.substring("Bearer ".length()).strip())) {
            error(ctx, 401, "token refused for node '" + node + "' (expected the token configured for it in the coordinator's tokens file)");
            return;
        }
        byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        List<ReceivedRecord> batch;
        try {
            batch = RecordBatch.parse(body);
        } catch (MalformedBatchException e) {
            error(ctx, 400, e.getMessage());
            return;
        }
        for (ReceivedRecord received : batch) {
            if (!received.record().node().equals(node)) {
                error(ctx, 400, "record at offset " + received.offset() + " (seq " + received.record().seq() + ") is of node '"
                        + received.record().node() + "' (expected '" + node + "' as in the URL)");
                return;
            }
        }
        vertx.executeBlocking(() -> store.ingest(node, batch), false).onComplete(result -> {
            if (result.failed()) {
                log.error("ingest for node {} failed", node, result.cause());
                error(ctx, 503, result.cause().getMessage());
                return;
            }
            IngestOutcome outcome = result.result();
            ObjectNode json = JSON.createObjectNode().put("node", outcome.node()).put("acked_seq", outcome.ackedSeq());
            if (outcome instanceof IngestOutcome.Conflict conflict) {
                log.warn("ingest for node {} refused: {}", node, conflict.message());
                json.put("error", conflict.message());
                send(ctx, 409, json);
                return;
            }
            send(ctx, 200, json);
        });
    }

    private void events(RoutingContext ctx) {
        Optional<EventCursor> since;
        int limit;
        Set<EventType> types;
        try {
            String sinceParam = ctx.request().getParam("since");
            since = sinceParam == null || sinceParam.isEmpty() ? Optional.empty() : Optional.of(EventCursor.parse(sinceParam));
            limit = limit(ctx.request().getParam("limit"));
            types = types(ctx.request().getParam("types"));
        } catch (IllegalArgumentException e) {
            error(ctx, 400, e.getMessage());
            return;
        }
        answer(ctx, () -> {
            ClusterStore.Page page = types.isEmpty() ? store.events(since, limit, record -> true, Integer.MAX_VALUE)
                    : store.events(since, limit, record -> types.contains(record.event().type()), TYPES_READ_LIMIT);
            ObjectNode root = JSON.createObjectNode();
            ArrayNode events = root.putArray("events");
            page.records().forEach(record -> events.add(ReplayCommand.toJson(JSON, record)));
            root.put("next", page.next().map(EventCursor::toString).orElse(""));
            root.put("more", page.more());
            return root;
        });
    }

    /** {@code types}: event type names, comma-separated; empty or absent means every type. */
    private static Set<EventType> types(String value) {
        Set<EventType> types = EnumSet.noneOf(EventType.class);
        if (value == null || value.isEmpty()) {
            return types;
        }
        for (String name : value.split(",")) {
            try {
                types.add(EventType.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("types got '" + name + "' (expected event type names, comma-separated: "
                        + Arrays.stream(EventType.values()).map(Enum::name).collect(Collectors.joining(", ")) + ")");
            }
        }
        return types;
    }

    private static int limit(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        if (value.matches("\\d{1,9}")) {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        }
        throw new IllegalArgumentException("limit got '" + value + "' (expected 1.." + MAX_LIMIT + ")");
    }

    private void state(RoutingContext ctx) {
        String at = ctx.request().getParam("at");
        long hlcLimit;
        try {
            if (at == null || at.isEmpty()) {
                throw new IllegalArgumentException("at is missing (expected an ISO-8601 instant like 2026-11-21T03:12:07.250Z, or epoch milliseconds)");
            }
            hlcLimit = HybridLogicalClock.endOfMillis(TimeArgument.parseMillis("at", at));
        } catch (IllegalArgumentException e) {
            error(ctx, 400, e.getMessage());
            return;
        }
        answer(ctx, () -> stateJson(store, hlcLimit));
    }

    /** {@code /v1/state?at=}'s answer: the cluster as of the HLC stamp {@code hlcLimit}. */
    private static ObjectNode stateJson(ClusterStore store, long hlcLimit) {
        ObjectNode root = clusterJson(store.stateAt(hlcLimit));
        root.put("at", Instant.ofEpochMilli(HybridLogicalClock.physicalMillis(hlcLimit)).toString());
        return root;
    }

    private void forensics(RoutingContext ctx) {
        ForensicsSettings settings;
        try {
            String from = ctx.request().getParam("from");
            String to = ctx.request().getParam("to");
            settings = ForensicsSettings.DEFAULT.withWindow(
                    from == null || from.isEmpty() ? Long.MIN_VALUE : TimeArgument.parseMillis("from", from) * 1000,
                    to == null || to.isEmpty() ? Long.MAX_VALUE : TimeArgument.parseMillis("to", to) * 1000 + 999);
        } catch (IllegalArgumentException e) {
            error(ctx, 400, e.getMessage());
            return;
        }
        Path cached = forensicsJobs.cached(settings);
        if (cached != null) {
            sendJsonFile(ctx, cached);
            return;
        }
        Context context = vertx.getOrCreateContext();
        FutureTask<Path> job = forensicsJobs.submit(settings, outcome -> context.runOnContext(v -> {
            if (ctx.response().ended() || ctx.response().closed()) {
                return;
            }
            if (outcome instanceof ForensicsJobs.Outcome.Done done) {
                sendJsonFile(ctx, done.json());
            } else if (outcome instanceof ForensicsJobs.Outcome.Failed failed) {
                log.error("GET /v1/forensics failed", failed.cause());
                error(ctx, 500, "/v1/forensics failed: " + failed.cause().getMessage());
            } else {
                error(ctx, 503, "forensics took longer than " + forensicsJobs.deadline().toSeconds()
                        + " s and was stopped: ask for a window with from=TIME&to=TIME");
            }
        }));
        long timer = vertx.setTimer(forensicsJobs.deadline().toMillis(), id -> job.cancel(true));
        // A client that went away wants nothing: its job stops (or never starts) instead of keeping a thread busy.
        ctx.request().connection().closeHandler(v -> job.cancel(true));
        ctx.addEndHandler(v -> vertx.cancelTimer(timer));
    }

    private static void sendJsonFile(RoutingContext ctx, Path json) {
        ctx.response().setStatusCode(200).putHeader("content-type", "application/json").sendFile(json.toString())
                .onFailure(e -> log.warn("sending the forensics answer {} failed", json, e));
    }

    private static ObjectNode foldJson(IncidentFollower.Status status) {
        ObjectNode root = JSON.createObjectNode()
                .put("folded", status.folded())
                .put("unread", status.unread())
                .put("refolds", status.refolds())
                .put("intervals", status.intervals())
                .put("incidents", status.incidents());
        status.waitingFor().forEach(root.putArray("waiting_for")::add);
        status.lagging().forEach(root.putArray("lagging")::add);
        status.failure().ifPresent(failure -> root.put("failure", failure));
        return root;
    }

    /** The fold's view per node and instance, plus which nodes hold each VIP now (two owners is a split brain). */
    private static ObjectNode clusterJson(ClusterView view) {
        ObjectNode root = JSON.createObjectNode();
        root.set("nodes", JSON.valueToTree(new TreeMap<>(view.nodes())));
        Map<String, ArrayNode> owners = new TreeMap<>();
        for (NodeView node : new TreeMap<>(view.nodes()).values()) {
            for (InstanceView instance : new TreeMap<>(node.instances()).values()) {
                for (String vip : instance.vips()) {
                    owners.computeIfAbsent(vip, k -> JSON.createArrayNode())
                            .addObject().put("node", node.node()).put("instance", instance.name());
                }
            }
        }
        ArrayNode vips = root.putArray("vips");
        owners.forEach((address, list) -> vips.addObject().put("address", address).set("owners", list));
        return root;
    }

    private void answer(RoutingContext ctx, Callable<ObjectNode> work) {
        vertx.executeBlocking(work, false).onComplete(result -> {
            if (result.failed()) {
                log.error("{} {} failed", ctx.request().method(), ctx.request().path(), result.cause());
                error(ctx, 500, ctx.request().path() + " failed: " + result.cause().getMessage());
                return;
            }
            send(ctx, 200, result.result());
        });
    }

    private static void send(RoutingContext ctx, int code, ObjectNode json) {
        String body;
        try {
            body = JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            code = 500;
            body = "{\"error\":\"answer could not be rendered: " + e.getOriginalMessage().replace('"', '\'') + "\"}";
        }
        ctx.response().setStatusCode(code).putHeader("content-type", "application/json").end(body);
    }

    static void error(RoutingContext ctx, int code, String message) {
        send(ctx, code, JSON.createObjectNode().put("error", message));
    }

    private Future<Void> closeQuietly() {
        forensicsJobs.close();
        try {
            follower.close();
        } catch (IOException e) {
            log.warn("closing the incident fold after a failed start failed", e);
        }
        try {
            store.close();
        } catch (IOException e) {
            log.warn("closing the node archives after a failed start failed", e);
        }
        return Future.succeededFuture();
    }
}
