package io.quorumvip.agent.lease;

import io.quorumvip.lease.LeaseRequest;
import io.quorumvip.lease.LeaseValidity;
import java.io.IOException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quorum lease of one VRRP instance: a Curator {@link LeaderLatch} under {@code <path>/<instance>}, entered
 * only when the agent says so ({@link #contend()}, while VRRP MASTER) and left when it says so
 * ({@link #withdraw()}).
 *
 * <p>Holding the latch is not enough: {@link #confirm()} (every advert interval) asks ZooKeeper for the latch
 * node's stat, reading the monotonic clock before the request goes out. An answer on the same session that shows
 * the node still owned by that session proves the lease valid until {@code send time + S − margin}
 * ({@link LeaseValidity}). The lease is held once such an answer came after the latch said "leader"; its epoch is
 * the node's czxid, which only grows from one latch node to the next.
 *
 * <p>All state changes happen on the keeper's own thread, which also delivers the {@link LeaseListener}'s events;
 * the getters read a snapshot published by that thread and may be called from anywhere.
 */
public final class LeaseKeeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);
    private static final Duration CLOSE_BOUND = Duration.ofSeconds(5);

    private final CuratorFramework curator;
    private final String latchPath;
    private final String instance;
    private final String participantId;
    private final LeaseListener listener;
    private final LongSupplier monotonicNanos;
    private final ScheduledExecutorService thread;
    private final ConnectionStateListener connectionListener = (client, state) -> connectionChanged(state);
    private final AtomicBoolean closed = new AtomicBoolean();

    // Confined to the keeper's thread.
    private LeaderLatch latch;
    private LeaseValidity validity = new LeaseValidity();
    private long sessionId;
    private Duration negotiatedTimeout;
    private boolean held;
    private long epoch;
    private boolean lapsed;
    private ScheduledFuture<?> lapseCheck;

    private volatile LeaseSnapshot snapshot = LeaseSnapshot.NONE;

    LeaseKeeper(CuratorFramework curator, String latchPath, String instance, String participantId,
                LeaseListener listener, LongSupplier monotonicNanos) {
        this.curator = curator;
        this.latchPath = latchPath;
        this.instance = instance;
        this.participantId = participantId;
        this.listener = listener;
        this.monotonicNanos = monotonicNanos;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "qvip-lease-" + instance);
            t.setDaemon(true);
            return t;
        });
        curator.getConnectionStateListenable().addListener(connectionListener, thread);
        // The client may have connected before this keeper existed; CONNECTED will not come again.
        thread.execute(this::readSession);
    }

    /** Enters the latch (VRRP became MASTER). Does nothing while already contending. */
    public void contend() {
        thread.execute(() -> {
            if (latch == null && !closed.get()) {
                startLatch();
            }
        });
    }

    /** Leaves the latch (VRRP left MASTER): emits {@link LeaseEvent.Released} if the lease was held. */
    public void withdraw() {
        thread.execute(this::leave);
    }

    /**
     * Leaves the latch and waits up to {@code bound} for the latch node to be gone, so that a priority-0 advert
     * sent next already finds the lease free at the backup. Past the bound the withdrawal goes on by itself.
     */
    public void withdrawAndWait(Duration bound) {
        try {
            thread.submit(this::leave).get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("lease {}: withdrawal not finished within {} ms; it goes on in the background", instance,
                    bound.toMillis());
        }
    }

    /** Sends one confirmation request; its answer moves validity on, or reveals that the lease is gone. */
    public void confirm() {
        thread.execute(this::check);
    }

    /**
     * Asks ZooKeeper, through its leader, whether anyone is in the latch, and tells {@code answer} on the keeper's
     * thread: true when the latch is empty (a released owner's node is gone), false when not or when unsure.
     */
    public void checkLatchFree(Consumer<Boolean> answer) {
        try {
            curator.sync().inBackground((client, synced) -> {
                if (synced.getResultCode() != KeeperException.Code.OK.intValue()) {
                    thread.execute(() -> answer.accept(false));
                    return;
                }
                curator.getChildren().inBackground((c, event) -> {
                    boolean free = event.getResultCode() == KeeperException.Code.NONODE.intValue()
                            || event.getResultCode() == KeeperException.Code.OK.intValue()
                            && event.getChildren().isEmpty();
                    thread.execute(() -> answer.accept(free));
                }).forPath(latchPath);
            }).forPath(latchPath);
        } catch (Exception e) {
            log.warn("lease {}: cannot ask whether the latch {} is free: {}", instance, latchPath, e.toString());
            thread.execute(() -> answer.accept(false));
        }
    }

    /** Tells {@code answer}, on the keeper's thread, whether a request through the ZooKeeper leader is answered. */
    public void checkReachable(Consumer<Boolean> answer) {
        try {
            curator.sync().inBackground((client, synced) -> {
                boolean ok = synced.getResultCode() == KeeperException.Code.OK.intValue();
                thread.execute(() -> answer.accept(ok));
            }).forPath(latchPath);
        } catch (Exception e) {
            thread.execute(() -> answer.accept(false));
        }
    }

    /** Leader of the latch with the node confirmed as this session's. Validity is a separate question. */
    public boolean held() {
        return snapshot.held();
    }

    /** The latch node's czxid while held, 0 otherwise. */
    public long epoch() {
        return snapshot.epoch();
    }

    /** The monotonic end of proven validity; empty before the first answered confirmation of this latch node. */
    public OptionalLong validUntilNanos() {
        LeaseSnapshot s = snapshot;
        return s.proven() ? OptionalLong.of(s.validUntilNanos()) : OptionalLong.empty();
    }

    /** The ZooKeeper session the keeper works on, 0 when there is none. */
    public long sessionId() {
        return snapshot.sessionId();
    }

    public LeaseSnapshot snapshot() {
        return snapshot;
    }

    public String instance() {
        return instance;
    }

    /** Withdraws (deleting the latch node) and stops the keeper's thread. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            thread.submit(this::leave).get(CLOSE_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.error("lease {}: withdrawing on close failed: {}", instance, e.toString());
        } finally {
            curator.getConnectionStateListenable().removeListener(connectionListener);
            thread.shutdown();
        }
    }

    // --- on the keeper's thread ------------------------------------------------------------------------------

    private void connectionChanged(ConnectionState state) {
        log.info("lease {}: ZooKeeper connection {}", instance, state);
        switch (state) {
            case CONNECTED, RECONNECTED -> {
                readSession();
                emit(new LeaseEvent.Connection(instance, epoch, true, state.name(), monotonicNanos.getAsLong()));
            }
            case LOST -> {
                sessionId = 0;
                validity.sessionEnded();
                if (held) {
                    lose(LossCause.SESSION_LOST);
                }
                publish();
                emit(new LeaseEvent.Connection(instance, epoch, false, state.name(), monotonicNanos.getAsLong()));
            }
            case SUSPENDED, READ_ONLY -> {
                // Leadership stays (SessionConnectionStateErrorPolicy); validity runs out by itself if no answer comes.
            }
        }
    }

    private void readSession() {
        long id;
        int timeoutMs;
        try {
            if (!curator.getZookeeperClient().isConnected()) {
                return;
            }
            id = curator.getZookeeperClient().getZooKeeper().getSessionId();
            timeoutMs = curator.getZookeeperClient().getZooKeeper().getSessionTimeout();
        } catch (Exception e) {
            log.warn("lease {}: cannot read the ZooKeeper session: {}", instance, e.toString());
            return;
        }
        if (id == 0 || id == sessionId) {
            return;
        }
        Duration timeout = Duration.ofMillis(timeoutMs);
        try {
            validity.sessionStarted(id, timeout);
        } catch (IllegalArgumentException e) {
            log.error("lease {}: ZooKeeper negotiated a session timeout of {} ms: {}; the lease can never be proven "
                    + "(raise the servers' minSessionTimeout/maxSessionTimeout or session_timeout)", instance,
                    timeoutMs, e.getMessage());
            return;
        }
        boolean replaced = sessionId != 0;
        sessionId = id;
        negotiatedTimeout = timeout;
        log.info("lease {}: ZooKeeper session 0x{} with timeout {} ms", instance, Long.toHexString(id), timeoutMs);
        if (replaced && held) {
            lose(LossCause.SESSION_CHANGED);
        }
        publish();
    }

    private void startLatch() {
        freshValidity();
        LeaderLatch created = new LeaderLatch(curator, latchPath, participantId);
        latch = created;
        created.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                if (created == latch) {
                    check();
                }
            }

            @Override
            public void notLeader() {
                if (created == latch && held) {
                    lose(curator.getZookeeperClient().isConnected() ? LossCause.LEADERSHIP_LOST
                            : LossCause.SESSION_LOST);
                }
            }
        }, thread);
        try {
            created.start();
        } catch (Exception e) {
            log.error("lease {}: cannot start the leader latch at {}: {}", instance, latchPath, e.toString());
            latch = null;
        }
    }

    private void leave() {
        if (latch == null) {
            return;
        }
        LeaderLatch leaving = latch;
        latch = null;
        if (held) {
            long releasedEpoch = epoch;
            clearHold();
            emit(new LeaseEvent.Released(instance, releasedEpoch, monotonicNanos.getAsLong()));
        }
        closeQuietly(leaving);
    }

    private void check() {
        LeaderLatch checked = latch;
        if (checked == null || !checked.hasLeadership() || !validity.hasSession()) {
            return;
        }
        String path = checked.getOurPath();
        if (path == null) {
            return;
        }
        LeaseValidity generation = validity;
        LeaseRequest request = generation.requestSent(monotonicNanos.getAsLong());
        try {
            // A follower cut off from its leader keeps answering reads until it notices, while the leader may
            // already be counting our session down. sync goes through the leader, so only a server still in the
            // quorum can answer it; the read that follows then sees the latch node as the quorum has it.
            curator.sync().inBackground((client, synced) -> {
                if (synced.getResultCode() != KeeperException.Code.OK.intValue()) {
                    int code = synced.getResultCode();
                    long answeredOn = currentSessionId();
                    thread.execute(() -> answered(checked, generation, request, code, null, answeredOn));
                    return;
                }
                curator.checkExists().inBackground((c, event) -> {
                    // Read here, on the thread of the ZooKeeper handle that answered: a replaced handle has a new id.
                    long answeredOn = currentSessionId();
                    int code = event.getResultCode();
                    Stat stat = event.getStat();
                    thread.execute(() -> answered(checked, generation, request, code, stat, answeredOn));
                }).forPath(path);
            }).forPath(path);
        } catch (Exception e) {
            generation.failed(request);
            log.warn("lease {}: cannot send a confirmation for {}: {}", instance, path, e.toString());
        }
    }

    private void answered(LeaderLatch checked, LeaseValidity generation, LeaseRequest request, int code, Stat stat,
                          long answeredOn) {
        if (checked != latch || generation != validity) {
            return;
        }
        KeeperException.Code result = KeeperException.Code.get(code);
        boolean sameSession = answeredOn == request.sessionId();
        if (result == KeeperException.Code.OK && stat != null && sameSession
                && stat.getEphemeralOwner() == request.sessionId() && checked.hasLeadership()) {
            confirmed(generation, request, stat);
        } else if (result == KeeperException.Code.NONODE && sameSession) {
            generation.failed(request);
            restartLatch(LossCause.NODE_DELETED);
        } else if (result == KeeperException.Code.OK && stat != null && sameSession
                && stat.getEphemeralOwner() != request.sessionId()) {
            generation.failed(request);
            restartLatch(LossCause.OWNER_CHANGED);
        } else {
            generation.failed(request);
            log.debug("lease {}: confirmation not counted: {} (session 0x{}, answered on 0x{})", instance, result,
                    Long.toHexString(request.sessionId()), Long.toHexString(answeredOn));
        }
    }

    private void confirmed(LeaseValidity generation, LeaseRequest request, Stat stat) {
        boolean extended = generation.answered(request);
        long until = generation.validUntil().orElseThrow();
        long now = monotonicNanos.getAsLong();
        if (!held) {
            held = true;
            epoch = stat.getCzxid();
            lapsed = false;
            publish();
            scheduleLapseCheck(until, now);
            emit(new LeaseEvent.Acquired(instance, epoch, request.sessionId(), until, now));
        } else if (extended) {
            lapsed = false;
            publish();
            scheduleLapseCheck(until, now);
            emit(new LeaseEvent.Confirmed(instance, epoch, until, now));
        }
    }

    /** The latch believes it leads but its node is gone or foreign: count the lease lost and enter afresh. */
    private void restartLatch(LossCause cause) {
        if (held) {
            lose(cause);
        }
        LeaderLatch stale = latch;
        latch = null;
        closeQuietly(stale);
        if (!closed.get()) {
            startLatch();
        }
    }

    private void lose(LossCause cause) {
        long lostEpoch = epoch;
        clearHold();
        log.warn("lease {}: lost epoch {} ({})", instance, lostEpoch, cause);
        emit(new LeaseEvent.Lost(instance, lostEpoch, cause, monotonicNanos.getAsLong()));
    }

    private void clearHold() {
        held = false;
        epoch = 0;
        lapsed = false;
        freshValidity();
        publish();
    }

    private void scheduleLapseCheck(long validUntil, long now) {
        if (lapseCheck != null) {
            lapseCheck.cancel(false);
        }
        lapseCheck = thread.schedule(this::checkLapse, Math.max(0, validUntil - now), TimeUnit.NANOSECONDS);
    }

    private void checkLapse() {
        long now = monotonicNanos.getAsLong();
        if (held && !lapsed && !validity.isValid(now)) {
            lapsed = true;
            publish();
            emit(new LeaseEvent.Lapsed(instance, epoch, validity.validUntil().orElse(now), now));
        }
    }

    /** Answers about an earlier latch node must not prove anything about the next one. */
    private void freshValidity() {
        if (lapseCheck != null) {
            lapseCheck.cancel(false);
            lapseCheck = null;
        }
        validity = new LeaseValidity();
        if (sessionId != 0) {
            validity.sessionStarted(sessionId, negotiatedTimeout);
        }
    }

    private void publish() {
        OptionalLong until = validity.validUntil();
        snapshot = new LeaseSnapshot(held, epoch, sessionId, until.isPresent(), until.orElse(0));
    }

    private void emit(LeaseEvent event) {
        try {
            listener.onLeaseEvent(event);
        } catch (RuntimeException e) {
            log.error("lease {}: the listener failed on {}", instance, event, e);
        }
    }

    private long currentSessionId() {
        try {
            return curator.getZookeeperClient().getZooKeeper().getSessionId();
        } catch (Exception e) {
            return 0;
        }
    }

    private void closeQuietly(LeaderLatch closing) {
        if (closing == null) {
            return;
        }
        try {
            closing.close();
        } catch (IOException | IllegalStateException e) {
            log.warn("lease {}: closing the leader latch failed: {}", instance, e.toString());
        }
    }
}
