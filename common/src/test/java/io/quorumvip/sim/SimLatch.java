package io.quorumvip.sim;

import io.quorumvip.instance.InstanceInput;
import io.quorumvip.instance.LeaseLossCause;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One instance's latch on one node: a model of Curator's {@code LeaderLatch} over {@link SimZkClient}, and the
 * adapter that turns it into the core's latch inputs, as node-agent's Curator adapter does.
 *
 * <p>The latch (LeaderLatch under SessionConnectionStateErrorPolicy): an ephemeral sequential node, leader when it
 * is the lowest; a watch re-checks on deletions; LOST drops leadership; RECONNECTED without leadership resets
 * (deletes the old node, creates a new one); a create that completes after a newer one replaces and deletes the
 * older node (Curator's setNode); a retried create finds the node it made (protected mode); deletions are
 * guaranteed (retried after reconnection).
 *
 * <p>The adapter: on leadership it sends {@code sync} then {@code exists} on its node, reading the clock before;
 * the node found owned by the session it was asked on is {@link InstanceInput.LatchAcquired} (its czxid the
 * epoch); NONODE or a foreign owner restarts the latch. Until acquired the check is repeated at every prover
 * tick. Losing leadership after that is {@link InstanceInput.LatchLost}; a withdrawal answers
 * {@link InstanceInput.LatchGone} once ZooKeeper confirmed the node deleted.
 */
final class SimLatch {

    private final class Latch {
        private long ourCzxid;
        private boolean leader;
        private boolean closed;
        private int createsInFlight;
        private Runnable gone;

        void start() {
            create(nextGuid++);
        }

        private void create(long id) {
            createsInFlight++;
            client.send(new ZkRequest.Create(latchId, id), reply -> {
                createsInFlight--;
                if (reply.code() != ZkReply.Code.OK) {
                    goneIfDone();
                    return;
                }
                if (closed) {
                    guaranteedDelete(reply.czxid(), this::goneIfDone);
                    return;
                }
                setNode(reply.czxid());
                checkLeadership();
            });
        }

        /** Curator's setNode: a node made by an earlier create that completed late is deleted. */
        private void setNode(long czxid) {
            if (ourCzxid != 0 && ourCzxid != czxid) {
                guaranteedDelete(ourCzxid, () -> { });
            }
            ourCzxid = czxid;
        }

        void checkLeadership() {
            long asked = ourCzxid;
            client.send(new ZkRequest.Children(latchId), reply -> {
                if (closed || asked != ourCzxid || asked == 0 || reply.code() != ZkReply.Code.OK) {
                    return;
                }
                if (!reply.children().contains(asked)) {
                    reset();
                } else {
                    setLeadership(reply.children().get(0) == asked);
                }
            });
        }

        void connectionChanged(ZkConnectionListener.State state) {
            if (closed) {
                return;
            }
            if (state == ZkConnectionListener.State.LOST) {
                setLeadership(false);
            } else if (state == ZkConnectionListener.State.RECONNECTED && !leader) {
                reset();
            }
        }

        void latchChanged() {
            if (!closed && ourCzxid != 0) {
                checkLeadership();
            }
        }

        private void reset() {
            setLeadership(false);
            if (ourCzxid != 0) {
                guaranteedDelete(ourCzxid, () -> { });
                ourCzxid = 0;
            }
            create(nextGuid++);
        }

        /** Leaves the latch; {@code whenGone} runs once ZooKeeper confirmed that no node of it is left. */
        void close(Runnable whenGone) {
            closed = true;
            leader = false;
            long node = ourCzxid;
            ourCzxid = 0;
            gone = whenGone;
            if (node != 0) {
                createsInFlight++;
                guaranteedDelete(node, () -> {
                    createsInFlight--;
                    goneIfDone();
                });
            } else {
                goneIfDone();
            }
        }

        private void goneIfDone() {
            if (closed && createsInFlight == 0 && gone != null) {
                Runnable run = gone;
                gone = null;
                run.run();
            }
        }

        private void setLeadership(boolean now) {
            if (leader == now) {
                return;
            }
            leader = now;
            if (now) {
                checkAcquired(this);
            } else {
                lostLeadership(this);
            }
        }
    }

    private record PendingDelete(long czxid, Runnable done) {
    }

    private final List<PendingDelete> pendingDeletes = new ArrayList<>();
    private final int latchId;
    private final String name;
    private final SimScheduler scheduler;
    private final SimClock clock;
    private final SimZkClient client;
    private final Consumer<InstanceInput> core;
    private final SimTrace trace;
    private long nextGuid = 1;
    private Latch latch;
    private boolean acquired;
    private boolean checking;

    SimLatch(int latchId, String name, SimScheduler scheduler, SimClock clock, SimZkClient client,
             Consumer<InstanceInput> core, SimTrace trace) {
        this.latchId = latchId;
        this.name = name;
        this.scheduler = scheduler;
        this.clock = clock;
        this.client = client;
        this.core = core;
        this.trace = trace;
    }

    void contend() {
        if (latch == null) {
            latch = new Latch();
            latch.start();
        }
    }

    void withdraw() {
        Latch leaving = latch;
        latch = null;
        acquired = false;
        if (leaving == null) {
            core.accept(new InstanceInput.LatchGone());
            return;
        }
        leaving.close(() -> core.accept(new InstanceInput.LatchGone()));
    }

    /** Through the ZooKeeper leader: is nobody in the latch? */
    void checkFree() {
        client.send(new ZkRequest.Sync(), synced -> {
            if (synced.code() != ZkReply.Code.OK) {
                core.accept(new InstanceInput.LatchFree(false));
                return;
            }
            client.send(new ZkRequest.Children(latchId), children -> core.accept(new InstanceInput.LatchFree(
                    children.code() == ZkReply.Code.OK && children.children().isEmpty())));
        });
    }

    /** {@code newSession}: connected on another session than before, so what was acquired belonged to the old one. */
    void connectionChanged(ZkConnectionListener.State state, boolean newSession) {
        if (newSession) {
            acquired = false;
        }
        if (latch != null) {
            latch.connectionChanged(state);
        }
    }

    void latchChanged() {
        if (latch != null) {
            latch.latchChanged();
        }
    }

    /** At each prover tick: a leader whose node was not yet found owned by its session asks again. */
    void recheck() {
        if (latch != null && latch.leader && !acquired) {
            checkAcquired(latch);
        }
    }

    private void checkAcquired(Latch checked) {
        if (checked != latch || checking || client.sessionId() == 0 || checked.ourCzxid == 0) {
            return;
        }
        checking = true;
        long session = client.sessionId();
        long node = checked.ourCzxid;
        long sent = clock.local(scheduler.now());
        client.send(new ZkRequest.Sync(), synced -> {
            if (synced.code() != ZkReply.Code.OK) {
                checking = false;
                return;
            }
            client.send(new ZkRequest.Exists(node), exists -> {
                checking = false;
                boolean sameSession = client.sessionId() == session;
                if (checked != latch || !sameSession) {
                    return;
                }
                if (exists.code() == ZkReply.Code.OK && exists.ephemeralOwner() == session && checked.leader) {
                    if (!acquired) {
                        acquired = true;
                        trace.line(scheduler.now(), name, "latch " + latchId + " acquired, epoch " + node);
                        core.accept(new InstanceInput.LatchAcquired(session, node, sent));
                    }
                } else if (exists.code() == ZkReply.Code.NONODE) {
                    restart(LeaseLossCause.NODE_DELETED);
                } else if (exists.code() == ZkReply.Code.OK && exists.ephemeralOwner() != session) {
                    restart(LeaseLossCause.OWNER_CHANGED);
                }
            });
        });
    }

    private void lostLeadership(Latch from) {
        if (from == latch && acquired) {
            acquired = false;
            core.accept(new InstanceInput.LatchLost(client.isConnected() ? LeaseLossCause.LEADERSHIP_LOST
                    : LeaseLossCause.SESSION_LOST));
        }
    }

    /** The latch believes it leads but its node is gone or foreign: count the lease lost and enter afresh. */
    private void restart(LeaseLossCause cause) {
        if (acquired) {
            acquired = false;
            core.accept(new InstanceInput.LatchLost(cause));
        }
        Latch stale = latch;
        latch = new Latch();
        stale.close(() -> { });
        latch.start();
    }

    private void guaranteedDelete(long czxid, Runnable done) {
        client.send(new ZkRequest.Delete(czxid), reply -> {
            if (reply.code() == ZkReply.Code.CONNECTION_LOSS) {
                pendingDeletes.add(new PendingDelete(czxid, done));
            } else {
                done.run();
            }
        });
    }

    /** Curator retries guaranteed deletes once connected again. */
    void retryDeletes() {
        List<PendingDelete> retry = List.copyOf(pendingDeletes);
        pendingDeletes.clear();
        retry.forEach(d -> guaranteedDelete(d.czxid(), d.done()));
    }
}
