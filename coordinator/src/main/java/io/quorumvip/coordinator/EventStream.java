package io.quorumvip.coordinator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quorumvip.events.EventRecord;
import io.quorumvip.journal.ReplayCommand;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/stream}: Server-Sent Events of records as they are stored, each {@code data:} the object of
 * {@code /v1/events}, each {@code id:} a {@code /v1/events} cursor, so a client that comes back with
 * {@code Last-Event-ID} (or {@code ?since=}) gets what it missed, nothing twice.
 *
 * <p>Ingest only hands records over (a task on the client's event loop); each client has a bounded queue of
 * records not yet written. A client that lets it overflow is dropped with a log line: it comes back with its
 * {@code Last-Event-ID} and catches up from the store, so ingest never waits for a slow reader.
 */
final class EventStream {

    private static final Logger log = LoggerFactory.getLogger(EventStream.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final long KEEP_ALIVE_MILLIS = 15_000;
    /** What the browser waits before it reconnects: short, since a dropped or caught-up client should resume soon. */
    static final int RETRY_MILLIS = 1000;
    private static final int WRITE_QUEUE_BYTES = 256 * 1024;

    private final Vertx vertx;
    private final ClusterStore store;
    private final int queueCapacity;

    EventStream(Vertx vertx, ClusterStore store, int queueCapacity) {
        this.vertx = vertx;
        this.store = store;
        this.queueCapacity = queueCapacity;
    }

    void handle(RoutingContext ctx) {
        Optional<EventCursor> since;
        String header = ctx.request().getHeader("Last-Event-ID");
        String param = ctx.request().getParam("since");
        String name = header != null && !header.isEmpty() ? "Last-Event-ID" : "since";
        String value = header != null && !header.isEmpty() ? header : param;
        try {
            since = value == null || value.isEmpty() ? Optional.empty() : Optional.of(EventCursor.parse(value));
        } catch (IllegalArgumentException e) {
            CoordinatorServer.error(ctx, 400, name + " got '" + value
                    + "' (expected a cursor HLC-SEQ-NODE: an id this stream sent, or 'next' of /v1/events)");
            return;
        }
        HttpServerResponse response = ctx.response()
                .setChunked(true)
                .putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-cache")
                .setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
        Context context = vertx.getOrCreateContext();
        Client client = new Client(String.valueOf(ctx.request().remoteAddress()), response, context, since);
        response.closeHandler(v -> client.closed());
        response.exceptionHandler(e -> client.closed());
        // The backlog reaches the client as a task on its event loop; so must the outcome, after it: a future that
        // completes before onComplete is attached calls back at once, ahead of tasks already queued.
        vertx.executeBlocking(() -> store.subscribe(since, queueCapacity, client.listener), false)
                .onComplete(result -> context.runOnContext(v -> client.subscribeDone(result)));
    }

    /** One connected reader. Everything but {@link #listener}'s hand-over runs on the connection's event loop. */
    private final class Client {
        final String remote;
        final HttpServerResponse response;
        final Consumer<List<EventRecord>> listener;
        final ArrayDeque<EventRecord> queue = new ArrayDeque<>();
        final long keepAliveTimer;
        /** The id last sent: the greatest cursor so far, so a resume never repeats what this connection sent. */
        Optional<EventCursor> lastId;
        boolean closed;
        boolean endWhenWritten;
        /** Whether the first line went out: it (and the headers) only go once the client is subscribed. */
        boolean started;

        Client(String remote, HttpServerResponse response, Context context, Optional<EventCursor> since) {
            this.remote = remote;
            this.response = response;
            this.lastId = since;
            this.listener = records -> context.runOnContext(v -> offer(records));
            this.keepAliveTimer = vertx.setPeriodic(KEEP_ALIVE_MILLIS, id -> {
                if (!closed && started && !response.writeQueueFull()) {
                    response.write(": keep-alive\n\n");
                }
            });
        }

        void offer(List<EventRecord> records) {
            if (closed) {
                return;
            }
            if (queue.size() + records.size() > queueCapacity) {
                log.warn("stream client {} dropped: {} records waiting to be written (limit {}); it resumes with Last-Event-ID",
                        remote, queue.size() + records.size(), queueCapacity);
                drop();
                return;
            }
            queue.addAll(records);
            pump();
        }

        /** Subscribed (start writing), or given only part of a long backlog (end once it is written), or failed. */
        void subscribeDone(AsyncResult<Boolean> result) {
            if (result.failed()) {
                log.error("stream for {} could not subscribe", remote, result.cause());
                drop();
            } else if (!result.result()) {
                endWhenWritten();
            } else if (closed) {
                store.unsubscribe(listener);
            } else {
                pump();
            }
        }

        void endWhenWritten() {
            endWhenWritten = true;
            pump();
        }

        private void pump() {
            if (!started && !closed) {
                started = true;
                response.write("retry: " + RETRY_MILLIS + "\n\n");
            }
            while (!closed && !queue.isEmpty() && !response.writeQueueFull()) {
                response.write(frame(queue.poll()));
            }
            if (closed) {
                return;
            }
            if (!queue.isEmpty()) {
                response.drainHandler(v -> pump());
            } else if (endWhenWritten) {
                closed();
                response.end();
            }
        }

        private String frame(EventRecord record) {
            if (lastId.isEmpty() || lastId.get().isBefore(record)) {
                lastId = Optional.of(EventCursor.after(record));
            }
            String data;
            try {
                data = JSON.writeValueAsString(ReplayCommand.toJson(JSON, record));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("record " + record.node() + " seq " + record.seq() + " does not render as JSON", e);
            }
            return "id: " + lastId.get() + "\ndata: " + data + "\n\n";
        }

        void drop() {
            closed();
            response.close();
        }

        void closed() {
            if (!closed) {
                closed = true;
                vertx.cancelTimer(keepAliveTimer);
                store.unsubscribe(listener);
                queue.clear();
            }
        }
    }
}
