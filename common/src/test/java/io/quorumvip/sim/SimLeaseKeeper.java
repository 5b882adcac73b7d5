package io.quorumvip.sim;

import io.quorumvip.lease.LeaseRequest;
import io.quorumvip.lease.LeaseValidity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * A model of node-agent's {@code LeaseKeeper} together with the part of Curator's {@code LeaderLatch} it relies
 * on, over {@link SimZkClient}. The validity arithmetic is the real {@link LeaseValidity}; the rest follows
 * LeaseKeeper method by method (same names): confirmation = {@code sync} then {@code exists}, counted only when
 * answered on the request's session with the node owned by that session; NONODE or a foreign owner restarts the
 * latch; SESSION LOST ends validity; events reach the agent asynchronously, as they cross threads in the agent.
 *
 * <p>The latch (Curator's LeaderLatch, SessionConnectionStateErrorPolicy): an ephemeral sequential node, leader
 * when it is the lowest; a watch re-checks on deletions; LOST drops leadership; RECONNECTED without leadership
 * resets (deletes the old node, creates a new one); a create that completes after a newer one replaces and deletes
 * the older node (Curator's setNode); a retried create finds the node it made (protected mode); deletions are
 * guaranteed (retried after reconnection).
 */
final class SimLeaseKeeper implements ZkConnectionListener {

    private final class Latch {
        private long ourCzxid;
        private boolean leader;
        private boolean closed;

        void start() {
            create(nextGuid++);
        }

        private void create(long id) {
            client.send(new ZkRequest.Create(id), reply -> {
                if (reply.code() != ZkReply.Code.OK) {
                    return;
                }
                if (closed) {
                    guaranteedDelete(reply.czxid());
                    return;
                }
                setNode(reply.czxid());
                checkLeadership();
            });
        }

        /** Curator's setNode: a node made by an earlier create that completed late is deleted. */
        private void setNode(long czxid) {
            if (ourCzxid != 0 && ourCzxid != czxid) {
                guaranteedDelete(ourCzxid);
            }
            ourCzxid = czxid;
        }

        void checkLeadership() {
            long asked = ourCzxid;
            client.send(new ZkRequest.Children(), reply -> {
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

        void connectionChanged(State state) {
            if (closed) {
                return;
            }
            if (state == State.LOST) {
                setLeadership(false);
            } else if (state == State.RECONNECTED && !leader) {
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
                guaranteedDelete(ourCzxid);
                ourCzxid = 0;
            }
            create(nextGuid++);
        }

        void close() {
            closed = true;
            leader = false;
            if (ourCzxid != 0) {
                guaranteedDelete(ourCzxid);
                ourCzxid = 0;
            }
        }

        private void setLeadership(boolean now) {
            if (leader == now) {
                return;
            }
            leader = now;
            if (now) {
                isLeader(this);
            } else {
                notLeader(this);
            }
        }
    }

    private final String name;
    private final SimScheduler scheduler;
    private final SimClock clock;
    private final SimZkClient client;
    private final Consumer<SimLeaseEvent> listener;
    private final SimTrace trace;
    private final List<Long> pendingDeletes = new ArrayList<>();
    private long nextGuid = 1;

    private Latch latch;
    private LeaseValidity validity = new LeaseValidity();
    private long sessionId;
    private Duration negotiatedTimeout;
    private boolean held;
    private long epoch;
    private boolean lapsed;
    private SimScheduler.Scheduled lapseCheck;
    private SimLeaseSnapshot snapshot = SimLeaseSnapshot.NONE;

    SimLeaseKeeper(String name, SimScheduler scheduler, SimClock clock, SimZkClient client,
                   Consumer<SimLeaseEvent> listener, SimTrace trace) {
        this.name = name;
        this.scheduler = scheduler;
        this.clock = clock;
        this.client = client;
        this.listener = listener;
        this.trace = trace;
    }

    void contend() {
        if (latch == null) {
            startLatch();
        }
    }

    void withdraw() {
        leave();
    }

    void confirm() {
        check();
    }

    void checkLatchFree(Consumer<Boolean> answer) {
        client.send(new ZkRequest.Sync(), synced -> {
            if (synced.code() != ZkReply.Code.OK) {
                answer.accept(false);
                return;
            }
            client.send(new ZkRequest.Children(), children -> answer.accept(
                    children.code() == ZkReply.Code.OK && children.children().isEmpty()));
        });
    }

    void checkReachable(Consumer<Boolean> answer) {
        client.send(new ZkRequest.Sync(), synced -> answer.accept(synced.code() == ZkReply.Code.OK));
    }

    SimLeaseSnapshot snapshot() {
        return snapshot;
    }

    @Override
    public void stateChanged(State state) {
        switch (state) {
            case CONNECTED, RECONNECTED -> {
                readSession();
                emit(new SimLeaseEvent.Connection(true, state));
                if (state == State.RECONNECTED) {
                    List<Long> retry = List.copyOf(pendingDeletes);
                    pendingDeletes.clear();
                    retry.forEach(this::guaranteedDelete);
                }
            }
            case LOST -> {
                sessionId = 0;
                validity.sessionEnded();
                if (held) {
                    lose(SimLeaseEvent.Cause.SESSION_LOST);
                }
                publish();
                emit(new SimLeaseEvent.Connection(false, state));
            }
            case SUSPENDED -> {
                // Leadership stays (SessionConnectionStateErrorPolicy); validity runs out by itself.
            }
        }
        if (latch != null) {
            latch.connectionChanged(state);
        }
    }

    @Override
    public void latchChanged() {
        if (latch != null) {
            latch.latchChanged();
        }
    }

    private void readSession() {
        long id = client.sessionId();
        if (!client.isConnected() || id == 0 || id == sessionId) {
            return;
        }
        Duration timeout = Duration.ofNanos(client.timeoutNanos());
        validity.sessionStarted(id, timeout);
        boolean replaced = sessionId != 0;
        sessionId = id;
        negotiatedTimeout = timeout;
        if (replaced && held) {
            lose(SimLeaseEvent.Cause.SESSION_CHANGED);
        }
        publish();
    }

    private void startLatch() {
        freshValidity();
        latch = new Latch();
        latch.start();
    }

    private void isLeader(Latch from) {
        if (from == latch) {
            check();
        }
    }

    private void notLeader(Latch from) {
        if (from == latch && held) {
            lose(client.isConnected() ? SimLeaseEvent.Cause.LEADERSHIP_LOST : SimLeaseEvent.Cause.SESSION_LOST);
        }
    }

    private void leave() {
        if (latch == null) {
            return;
        }
        Latch leaving = latch;
        latch = null;
        if (held) {
            long releasedEpoch = epoch;
            clearHold();
            emit(new SimLeaseEvent.Released(releasedEpoch));
        }
        leaving.close();
    }

    private void check() {
        Latch checked = latch;
        if (checked == null || !checked.leader || !validity.hasSession()) {
            return;
        }
        long path = checked.ourCzxid;
        if (path == 0) {
            return;
        }
        LeaseValidity generation = validity;
        LeaseRequest request = generation.requestSent(localNow());
        client.send(new ZkRequest.Sync(), synced -> {
            if (synced.code() != ZkReply.Code.OK) {
                answered(checked, generation, request, synced, client.sessionId());
                return;
            }
            client.send(new ZkRequest.Exists(path),
                    exists -> answered(checked, generation, request, exists, client.sessionId()));
        });
    }

    private void answered(Latch checked, LeaseValidity generation, LeaseRequest request, ZkReply reply,
                          long answeredOn) {
        if (checked != latch || generation != validity) {
            return;
        }
        boolean sameSession = answeredOn == request.sessionId();
        if (reply.code() == ZkReply.Code.OK && sameSession && reply.ephemeralOwner() == request.sessionId()
                && checked.leader) {
            confirmed(generation, request, reply.czxid());
        } else if (reply.code() == ZkReply.Code.NONODE && sameSession) {
            generation.failed(request);
            restartLatch(SimLeaseEvent.Cause.NODE_DELETED);
        } else if (reply.code() == ZkReply.Code.OK && sameSession
                && reply.ephemeralOwner() != request.sessionId()) {
            generation.failed(request);
            restartLatch(SimLeaseEvent.Cause.OWNER_CHANGED);
        } else {
            generation.failed(request);
        }
    }

    private void confirmed(LeaseValidity generation, LeaseRequest request, long czxid) {
        boolean extended = generation.answered(request);
        long until = generation.validUntil().orElseThrow();
        long now = localNow();
        if (!held) {
            held = true;
            epoch = czxid;
            lapsed = false;
            publish();
            scheduleLapseCheck(until, now);
            emit(new SimLeaseEvent.Acquired(epoch, request.sessionId(), until));
        } else if (extended) {
            lapsed = false;
            publish();
            scheduleLapseCheck(until, now);
            emit(new SimLeaseEvent.Confirmed(epoch, until));
        }
    }

    private void restartLatch(SimLeaseEvent.Cause cause) {
        if (held) {
            lose(cause);
        }
        Latch stale = latch;
        latch = null;
        if (stale != null) {
            stale.close();
        }
        startLatch();
    }

    private void lose(SimLeaseEvent.Cause cause) {
        long lostEpoch = epoch;
        clearHold();
        emit(new SimLeaseEvent.Lost(lostEpoch, cause));
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
            lapseCheck.cancel();
        }
        lapseCheck = scheduler.at(Math.max(scheduler.now(), clock.global(now + Math.max(0, validUntil - now))),
                client.node(), this::checkLapse);
    }

    private void checkLapse() {
        long now = localNow();
        if (held && !lapsed && !validity.isValid(now)) {
            lapsed = true;
            publish();
            emit(new SimLeaseEvent.Lapsed(epoch, validity.validUntil().orElse(now)));
        }
    }

    private void freshValidity() {
        if (lapseCheck != null) {
            lapseCheck.cancel();
            lapseCheck = null;
        }
        validity = new LeaseValidity();
        if (sessionId != 0) {
            validity.sessionStarted(sessionId, negotiatedTimeout);
        }
    }

    private void guaranteedDelete(long czxid) {
        client.send(new ZkRequest.Delete(czxid), reply -> {
            if (reply.code() == ZkReply.Code.CONNECTION_LOSS) {
                pendingDeletes.add(czxid);
            }
        });
    }

    private void publish() {
        OptionalLong until = validity.validUntil();
        snapshot = new SimLeaseSnapshot(held, epoch, sessionId, until.isPresent(), until.orElse(0));
    }

    private void emit(SimLeaseEvent event) {
        trace.line(scheduler.now(), name, "lease " + event);
        scheduler.after(0, client.node(), () -> listener.accept(event));
    }

    private long localNow() {
        return clock.local(scheduler.now());
    }
}
