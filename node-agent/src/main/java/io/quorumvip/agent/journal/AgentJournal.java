package io.quorumvip.agent.journal;

import io.quorumvip.agent.http.AgentMetrics;
import io.quorumvip.events.Cause;
import io.quorumvip.events.Event;
import io.quorumvip.events.EventDraft;
import io.quorumvip.events.EventRecord;
import io.quorumvip.journal.Journal;
import io.quorumvip.journal.JournalConfig;
import io.quorumvip.journal.JournalHealth;
import java.io.IOException;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's journal as the agent uses it: every transition recorded with the time read here, at the edge, and the
 * one write-ahead the safety rule needs (the event that gives this node an address is on disk before the address is
 * added). A record that cannot be written is logged and counted; a write-ahead that cannot be written stops the bind.
 */
public final class AgentJournal implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AgentJournal.class);

    private final Journal journal;
    private final AgentMetrics metrics;
    private final List<Consumer<EventDraft>> observers = new CopyOnWriteArrayList<>();

    private AgentJournal(Journal journal, AgentMetrics metrics) {
        this.journal = journal;
        this.metrics = metrics;
        metrics.journalWritable(journal.health().canWriteAhead());
    }

    /** Opens (and recovers) the journal in {@code dir}; a torn tail cut on open is logged with its place. */
    public static AgentJournal open(Path dir, String node, AgentMetrics metrics) throws IOException {
        Journal journal = Journal.open(JournalConfig.of(dir, node));
        journal.recoveredTornTail().ifPresent(torn -> log.atWarn()
                .setMessage("journal had a torn tail from an earlier crash; cut it (nothing acknowledged was lost)")
                .addKeyValue("tail", torn).log());
        return new AgentJournal(journal, metrics);
    }

    public Path dir() {
        return journal.dir();
    }

    /**
     * Hands every record to {@code observer} as it is appended, on the thread that appends it: e-mail alerts follow
     * what is journaled this way. The observer must return at once (queue, never block).
     */
    public void observe(Consumer<EventDraft> observer) {
        observers.add(observer);
    }

    /** Appends without waiting for the disk; a failure is reported when it happens. */
    public void record(Cause cause, Event event) {
        record(EventRecord.NO_EPOCH, cause, event);
    }

    /**
     * The same, for an event that concerns the lease with this epoch (the latch node's czxid). An event the journal
     * refuses outright (a record over its size limit) is a failed append like a full disk: counted and logged, the
     * caller goes on (a pool already applied stays applied), and observers do not see what was not journaled.
     */
    public void record(long leaseEpoch, Cause cause, Event event) {
        EventDraft draft = draft(leaseEpoch, cause, event);
        CompletableFuture<EventRecord> appended;
        try {
            appended = journal.append(draft);
        } catch (IllegalArgumentException refused) {
            failed(event, refused);
            return;
        }
        appended.whenComplete((record, failure) -> {
            if (failure != null) {
                failed(event, failure);
            }
        });
        observers.forEach(observer -> observer.accept(draft));
    }

    /**
     * Appends and waits until the record is on disk.
     *
     * @return false when it could not be made durable: the caller must not act on it
     */
    public boolean writeAhead(Cause cause, Event event) {
        try {
            EventDraft draft = draft(EventRecord.NO_EPOCH, cause, event);
            journal.appendDurably(draft);
            observers.forEach(observer -> observer.accept(draft));
            return true;
        } catch (RuntimeException e) {
            failed(event, e);
            return false;
        }
    }

    /**
     * Applies the retention budget now and then every {@code period}, on a worker thread: old sealed segments go,
     * and the anchor the first kept segment chains from is recorded first, so the rest still verifies.
     */
    public void retainPeriodically(Vertx vertx, Duration period) {
        retainOnce(vertx);
        vertx.setPeriodic(period.toMillis(), id -> retainOnce(vertx));
    }

    private void retainOnce(Vertx vertx) {
        vertx.executeBlocking(journal::applyRetention, false).onComplete(result -> {
            if (result.failed()) {
                log.atError().setMessage("journal retention failed").addKeyValue("dir", journal.dir())
                        .addKeyValue("error", result.cause().getMessage()).log();
            } else if (!result.result().isEmpty()) {
                log.atInfo().setMessage("journal retention removed old segments").addKeyValue("dir", journal.dir())
                        .addKeyValue("segments", result.result().size()).log();
            }
        });
    }

    /**
     * The wall time (µs since 1970) of an instant given on the monotonic clock the records carry, read as wall now
     * minus how long ago that instant was; for instants in the past, e.g. when a kernel lifetime ended.
     */
    public long wallMicrosAt(long monoNanos) {
        long nowNanos = System.nanoTime();
        long wallMicros = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
        return wallMicros - (nowNanos - monoNanos) / 1_000;
    }

    /** The seq of the last record on disk: what a shipper may read and send. */
    public long lastDurableSeq() {
        return journal.lastDurableSeq();
    }

    public JournalHealth health() {
        return journal.health();
    }

    @Override
    public void close() {
        try {
            journal.close();
        } catch (IOException e) {
            log.atError().setMessage("journal did not close cleanly").addKeyValue("dir", journal.dir())
                    .addKeyValue("error", e.getMessage()).log();
        }
    }

    private void failed(Event event, Throwable failure) {
        metrics.journalAppendFailed();
        metrics.journalWritable(journal.health().canWriteAhead());
        log.atError().setMessage("journal append failed").addKeyValue("event", event.type())
                .addKeyValue("dir", journal.dir()).addKeyValue("error", failure.getMessage()).log();
    }

    private static EventDraft draft(long leaseEpoch, Cause cause, Event event) {
        long wallMicros = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
        return new EventDraft(wallMicros, System.nanoTime(), leaseEpoch, cause, event);
    }
}
