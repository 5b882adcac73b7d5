package io.quorumvip.agent.ship;

import io.quorumvip.agent.http.AgentMetrics;
import io.quorumvip.journal.JournalTail;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships this node's journal to one coordinator, on its own thread, so a slow or dead coordinator never touches the
 * agent: it reads the journal's files (never its lock) up to the last durable seq, POSTs the frames as they stand,
 * and moves on by what the coordinator says it stored. Start: send from the oldest record kept; the coordinator
 * skips what it has and answers its {@code acked_seq}, and shipping goes on from there (one batch resent at most per
 * start). Nothing is ever dropped here: a failure only delays, and the journal keeps the records.
 */
public final class Shipper implements AutoCloseable {

    static final int MAX_RECORDS = 512;
    static final int MAX_BYTES = 1 << 20;
    static final Duration POLL = Duration.ofMillis(100);
    private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final int LATENT = 0;
    private static final int STARTED = 1;
    private static final int CLOSED = 2;

    private static final Logger log = LoggerFactory.getLogger(Shipper.class);

    private final ShipTarget target;
    private final JournalTail tail;
    private final LongSupplier durableSeq;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final ShipBackoff backoff;
    private final Random random;
    private final AgentMetrics metrics;
    private final AtomicInteger lifecycle = new AtomicInteger(LATENT);
    private final Thread thread;

    private long nextSeq = 1;
    private int failures;
    private volatile long ackedSeq = -1;
    private volatile long lastDurable;
    private volatile String state = "starting";
    private volatile String lastError = "";
    private String loggedKind = "";
    private long loggedAtNanos;
    private long suppressed;

    Shipper(ShipTarget target, Path journalDir, LongSupplier durableSeq, HttpClient http, Duration requestTimeout,
            ShipBackoff backoff, Random random, AgentMetrics metrics) {
        this.target = target;
        this.tail = new JournalTail(journalDir);
        this.durableSeq = durableSeq;
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.backoff = backoff;
        this.random = random;
        this.metrics = metrics;
        this.thread = new Thread(this::run, "qvip-ship-" + target.label());
        this.thread.setDaemon(true);
    }

    void start() {
        if (!lifecycle.compareAndSet(LATENT, STARTED)) {
            throw new IllegalStateException("shipper to " + target.coordinator() + " cannot be started more than once");
        }
        thread.start();
    }

    public ShipperStatus status() {
        long acked = ackedSeq;
        return new ShipperStatus(target.label(), acked < 0 ? null : acked, lag(lastDurable, acked), state, lastError);
    }

    /** Stops the thread, also in the middle of a request; what was not acknowledged ships after the next start. */
    @Override
    public void close() {
        if (lifecycle.getAndSet(CLOSED) != STARTED) {
            return;
        }
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (lifecycle.get() == STARTED) {
                shipOnce();
            }
        } catch (InterruptedException e) {
            log.atDebug().setMessage("shipper stopped").addKeyValue("coordinator", target.coordinator()).log();
        }
    }

    private void shipOnce() throws InterruptedException {
        long durable = durableSeq.getAsLong();
        lastDurable = durable;
        metrics.shipProgress(target.label(), Math.max(ackedSeq, 0), lag(durable, ackedSeq));
        if (nextSeq > durable) {
            state = "caught_up";
            Thread.sleep(POLL.toMillis());
            return;
        }
        JournalTail.Batch batch;
        try {
            batch = tail.read(nextSeq, durable, MAX_RECORDS, MAX_BYTES);
        } catch (IOException | RuntimeException e) {
            fail("journal", "cannot read the journal from seq " + nextSeq + ": " + e.getMessage(), retryDelay());
            return;
        }
        if (batch.isEmpty()) {
            state = "caught_up";
            Thread.sleep(POLL.toMillis());
            return;
        }
        state = "shipping";
        CoordinatorAnswer answer = post(batch);
        if (answer instanceof CoordinatorAnswer.Acked acked) {
            acknowledged(acked.ackedSeq());
        } else if (answer instanceof CoordinatorAnswer.Conflict conflict) {
            conflict(batch, conflict);
        } else if (answer instanceof CoordinatorAnswer.Rejected rejected) {
            String kind = rejected.status() == 401 ? "unauthorized" : "rejected";
            fail(kind, rejected.error() + " (check the node's token and the coordinator's tokens file; retrying"
                    + " cannot help until then)", backoff.longest(random));
        } else if (answer instanceof CoordinatorAnswer.Unavailable unavailable) {
            fail(unavailable.kind(), unavailable.error(), retryDelay());
        }
    }

    private void acknowledged(long acked) {
        if (failures > 0 || !lastError.isEmpty()) {
            log.atInfo().setMessage("shipping again").addKeyValue("coordinator", target.coordinator())
                    .addKeyValue("acked_seq", acked).log();
        }
        ackedSeq = acked;
        nextSeq = acked + 1;
        failures = 0;
        lastError = "";
        loggedKind = "";
        metrics.shipProgress(target.label(), acked, lag(lastDurable, acked));
    }

    /**
     * The coordinator stored less than this batch assumed: resend from what it has. If that is exactly where this
     * batch started, resending cannot help: the journal no longer holds the records it needs (retention trimmed
     * them: a gap) or holds other ones (the chain differs). Both need an operator; keep trying slowly.
     */
    private void conflict(JournalTail.Batch batch, CoordinatorAnswer.Conflict conflict) throws InterruptedException {
        long resendFrom = conflict.ackedSeq() + 1;
        ackedSeq = conflict.ackedSeq();
        if (resendFrom != nextSeq) {
            log.atInfo().setMessage("coordinator has fewer records than assumed; resending")
                    .addKeyValue("coordinator", target.coordinator()).addKeyValue("from_seq", resendFrom).log();
            nextSeq = resendFrom;
            return;
        }
        if (batch.firstSeq() > resendFrom) {
            fail("gap", "the coordinator needs seq " + resendFrom + " but this node's journal starts at seq "
                    + batch.firstSeq() + " (retention removed the rest): the coordinator's copy cannot continue; "
                    + conflict.error(), backoff.longest(random));
        } else {
            fail("conflict", conflict.error() + " (the journal here and the coordinator's copy differ: compare them"
                    + " with qvip replay --verify)", backoff.longest(random));
        }
    }

    private Duration retryDelay() {
        failures++;
        return backoff.delay(failures, random);
    }

    private CoordinatorAnswer post(JournalTail.Batch batch) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(target.recordsUri())
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + target.token())
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(batch.frames()))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return CoordinatorAnswers.read(response.statusCode(), response.body());
        } catch (HttpTimeoutException e) {
            return new CoordinatorAnswer.Unavailable("timeout", "no answer to seq " + batch.firstSeq() + ".."
                    + batch.lastSeq() + " within " + requestTimeout.toMillis() + " ms");
        } catch (IOException e) {
            return new CoordinatorAnswer.Unavailable("connection", "cannot reach " + target.coordinator() + ": " + e);
        }
    }

    private void fail(String kind, String message, Duration wait) throws InterruptedException {
        metrics.shipError(target.label(), kind);
        state = "backing_off";
        lastError = kind + ": " + message;
        logThrottled(kind, message, wait);
        Thread.sleep(wait.toMillis());
    }

    /** One line per kind of failure when it starts, then one a minute while it lasts, with how many were skipped. */
    private void logThrottled(String kind, String message, Duration wait) {
        long now = System.nanoTime();
        if (kind.equals(loggedKind) && now - loggedAtNanos < LOG_EVERY_NANOS) {
            suppressed++;
            return;
        }
        boolean loud = kind.equals("unauthorized") || kind.equals("rejected") || kind.equals("gap") || kind.equals("conflict");
        (loud ? log.atError() : log.atWarn()).setMessage("shipping to the coordinator failed")
                .addKeyValue("coordinator", target.coordinator()).addKeyValue("kind", kind)
                .addKeyValue("error", message).addKeyValue("next_seq", nextSeq).addKeyValue("retry_in_ms", wait.toMillis())
                .addKeyValue("repeats_not_logged", suppressed).log();
        loggedKind = kind;
        loggedAtNanos = now;
        suppressed = 0;
    }

    private static long lag(long durable, long acked) {
        return Math.max(durable - Math.max(acked, 0), 0);
    }
}
