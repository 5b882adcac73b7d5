package io.quorumvip.agent.lease;

import io.quorumvip.instance.InstanceInput;
import io.quorumvip.instance.LeaseLossCause;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance's Curator {@link LeaderLatch} under {@code <path>/<instance>}, turned into the instance core's
 * latch inputs. Entered on {@link #contend()}, left on {@link #withdraw()} (answered with
 * {@link InstanceInput.LatchGone} once ZooKeeper confirmed the node deleted).
 *
 * <p>When the latch says leader, one {@code sync} + {@code exists} on its node (clock read before) checks that the
 * node is owned by the session it was asked on: that is {@link InstanceInput.LatchAcquired}, with the node's czxid
 * as the epoch; NONODE or a foreign owner restarts the latch. The same {@code exists} leaves a watch on the node,
 * so a deletion by anyone but this adapter is {@link InstanceInput.LatchLost}. From then on the node's session
 * prover ({@link SessionProver}) keeps the lease valid: no request per instance per period.
 *
 * <p>Everything runs on the lease thread shared with the prover; inputs go to the instance through {@code core},
 * which hops to the event loop.
 */
public final class LatchAdapter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LatchAdapter.class);
    private static final long RECHECK_MILLIS = 250;

    private final CuratorFramework curator;
    private final String latchPath;
    private final String instance;
    private final String participantId;
    private final LongSupplier monotonicNanos;
    private final ScheduledExecutorService thread;
    private final Consumer<InstanceInput> core;

    // Confined to the lease thread.
    private LeaderLatch latch;
    private boolean acquired;
    private boolean closed;

    LatchAdapter(CuratorFramework curator, String latchPath, String instance, String participantId,
                 LongSupplier monotonicNanos, ScheduledExecutorService thread, Consumer<InstanceInput> core) {
        this.curator = curator;
        this.latchPath = latchPath;
        this.instance = instance;
        this.participantId = participantId;
        this.monotonicNanos = monotonicNanos;
        this.thread = thread;
        this.core = core;
    }

    public void contend() {
        thread.execute(() -> {
            if (latch == null && !closed) {
                startLatch();
            }
        });
    }

    public void withdraw() {
        thread.execute(this::leave);
    }

    /** Asks, through the ZooKeeper leader, whether anyone is in the latch: {@link InstanceInput.LatchFree}. */
    public void checkLatchFree() {
        try {
            curator.sync().inBackground((client, synced) -> {
                if (synced.getResultCode() != KeeperException.Code.OK.intValue()) {
                    core.accept(new InstanceInput.LatchFree(false));
                    return;
                }
                curator.getChildren().inBackground((c, event) -> core.accept(new InstanceInput.LatchFree(
                        event.getResultCode() == KeeperException.Code.NONODE.intValue()
                                || event.getResultCode() == KeeperException.Code.OK.intValue()
                                && event.getChildren().isEmpty()))).forPath(latchPath);
            }).forPath(latchPath);
        } catch (Exception e) {
            log.warn("lease {}: cannot ask whether the latch {} is free: {}", instance, latchPath, e.toString());
            core.accept(new InstanceInput.LatchFree(false));
        }
    }

    private void startLatch() {
        LeaderLatch created = new LeaderLatch(curator, latchPath, participantId);
        latch = created;
        acquired = false;
        created.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                checkAcquired(created);
            }

            @Override
            public void notLeader() {
                if (created == latch && acquired) {
                    acquired = false;
                    core.accept(new InstanceInput.LatchLost(curator.getZookeeperClient().isConnected()
                            ? LeaseLossCause.LEADERSHIP_LOST : LeaseLossCause.SESSION_LOST));
                }
            }
        }, thread);
        try {
            created.start();
        } catch (Exception e) {
            latch = null;
            log.error("lease {}: cannot start the leader latch at {}: {}", instance, latchPath, e.toString());
            core.accept(new InstanceInput.LatchStartFailed(latchPath + ": " + e));
        }
    }

    /** The latch leads: is its node owned by the session we are on? Asked again until answered. */
    private void checkAcquired(LeaderLatch checked) {
        if (checked != latch || acquired || !checked.hasLeadership()) {
            return;
        }
        String path = checked.getOurPath();
        long session = currentSessionId();
        if (path == null || session == 0) {
            thread.schedule(() -> checkAcquired(checked), RECHECK_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        long sent = monotonicNanos.getAsLong();
        Watcher deleted = event -> {
            if (event.getType() == Watcher.Event.EventType.NodeDeleted) {
                thread.execute(() -> nodeDeleted(checked, event));
            }
        };
        try {
            curator.sync().inBackground((client, synced) -> {
                if (synced.getResultCode() != KeeperException.Code.OK.intValue()) {
                    thread.schedule(() -> checkAcquired(checked), RECHECK_MILLIS, TimeUnit.MILLISECONDS);
                    return;
                }
                curator.checkExists().usingWatcher(deleted).inBackground((c, event) -> {
                    long answeredOn = currentSessionId();
                    int code = event.getResultCode();
                    Stat stat = event.getStat();
                    thread.execute(() -> answered(checked, session, sent, code, stat, answeredOn));
                }).forPath(path);
            }).forPath(path);
        } catch (Exception e) {
            log.warn("lease {}: cannot check the latch node {}: {}", instance, path, e.toString());
            thread.schedule(() -> checkAcquired(checked), RECHECK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void answered(LeaderLatch checked, long session, long sent, int code, Stat stat, long answeredOn) {
        if (checked != latch || acquired) {
            return;
        }
        boolean sameSession = answeredOn == session;
        KeeperException.Code result = KeeperException.Code.get(code);
        if (result == KeeperException.Code.OK && stat != null && sameSession
                && stat.getEphemeralOwner() == session && checked.hasLeadership()) {
            acquired = true;
            core.accept(new InstanceInput.LatchAcquired(session, stat.getCzxid(), sent));
        } else if (result == KeeperException.Code.NONODE && sameSession) {
            restart();
        } else if (result == KeeperException.Code.OK && stat != null && sameSession
                && stat.getEphemeralOwner() != session) {
            restart();
        } else {
            thread.schedule(() -> checkAcquired(checked), RECHECK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void nodeDeleted(LeaderLatch watched, WatchedEvent event) {
        if (watched == latch && acquired) {
            log.warn("lease {}: latch node {} deleted under us", instance, event.getPath());
            acquired = false;
            core.accept(new InstanceInput.LatchLost(LeaseLossCause.NODE_DELETED));
            restart();
        }
    }

    /** The latch believes it leads but its node is gone or foreign: enter afresh. */
    private void restart() {
        LeaderLatch stale = latch;
        latch = null;
        closeQuietly(stale);
        if (!closed) {
            startLatch();
        }
    }

    /** Leaves the latch, then makes sure its node is gone before saying so. */
    private void leave() {
        LeaderLatch leaving = latch;
        latch = null;
        acquired = false;
        if (leaving == null) {
            core.accept(new InstanceInput.LatchGone());
            return;
        }
        String path = leaving.getOurPath();
        closeQuietly(leaving);
        if (path == null) {
            core.accept(new InstanceInput.LatchGone());
            return;
        }
        try {
            // LeaderLatch deletes its node in the background; this delete answers once it is gone either way.
            curator.delete().guaranteed().inBackground((client, event) -> {
                if (event.getResultCode() == KeeperException.Code.OK.intValue()
                        || event.getResultCode() == KeeperException.Code.NONODE.intValue()) {
                    core.accept(new InstanceInput.LatchGone());
                }
            }).forPath(path);
        } catch (Exception e) {
            log.warn("lease {}: cannot delete the latch node {}: {}", instance, path, e.toString());
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
            closing.close(LeaderLatch.CloseMode.SILENT);
        } catch (IOException | IllegalStateException e) {
            log.warn("lease {}: closing the leader latch failed: {}", instance, e.toString());
        }
    }

    /** Leaves the latch (its node deleted in the background) and stops taking orders. */
    @Override
    public void close() {
        thread.execute(() -> {
            closed = true;
            leave();
        });
    }
}
