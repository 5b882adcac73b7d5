package io.quorumvip.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The ZooKeeper client and Curator's connection state, as the agent sees them: pings every S/3 of silence; no word
 * from the server for 2/3 S makes the connection SUSPENDED (every pending request fails with connection loss) and
 * starts reconnection attempts on the same session, each after a random 0–1 s sleep as ZooKeeper's ClientCnxn does;
 * the client learns that its session expired only when a reconnection reaches the ensemble, or when Curator, after S
 * in SUSPENDED, declares it LOST itself. A lost session is followed by a new one. It runs in the agent's process,
 * so it freezes and dies with it.
 *
 * <p>{@link #send} is a Curator background operation under the agent's retry policy
 * ({@code BoundedExponentialBackoffRetry(50 ms, 400 ms, 5)}, connection timeout S): while not connected it waits
 * up to S for a connection, and a connection loss is retried, at most {@link #RETRIES} times; then the caller gets
 * connection loss.
 */
final class SimZkClient {

    static final int RETRIES = 5;

    private static final long BACKOFF_BASE_NANOS = 50_000_000L;
    private static final long BACKOFF_MAX_NANOS = 400_000_000L;

    /** One Curator background operation, until answered or out of retries. */
    private final class Operation {
        private final ZkRequest request;
        private final Consumer<ZkReply> answer;
        private int retriesLeft = RETRIES;
        private SimScheduler.Scheduled connectionWait;

        Operation(ZkRequest request, Consumer<ZkReply> answer) {
            this.request = request;
            this.answer = answer;
        }

        void attempt() {
            if (connected) {
                long xid = nextXid++;
                pending.put(xid, this);
                transmit(xid, request);
                return;
            }
            waiting.add(this);
            connectionWait = after(timeoutNanos, () -> {
                waiting.remove(this);
                failed();
            });
        }

        void connectedNow() {
            connectionWait.cancel();
            attempt();
        }

        void failed() {
            if (retriesLeft == 0) {
                answer.accept(ZkReply.CONNECTION_LOSS);
                return;
            }
            int tried = RETRIES - retriesLeft;
            retriesLeft--;
            long backoff = Math.min(BACKOFF_MAX_NANOS, BACKOFF_BASE_NANOS
                    * (1 + scheduler.random().nextInt(1 << (tried + 1))));
            after(backoff, this::attempt);
        }
    }

    private final String name;
    private final int node;
    private final SimScheduler scheduler;
    private final SimNetwork network;
    private final SimZooKeeper ensemble;
    private final SimClock clock;
    private final long timeoutNanos;
    private final SimTrace trace;
    private final Map<Long, Operation> pending = new LinkedHashMap<>();
    private final List<Operation> waiting = new ArrayList<>();
    private ZkConnectionListener listener;
    private long sessionId;
    private long connection;
    private boolean connected;
    private boolean connecting;
    private boolean everConnected;
    private boolean lostReported = true;
    private long suspendedSinceLocal;
    private long lastHeardLocal;
    private long lastSentLocal;
    private long nextXid = 1;

    SimZkClient(String name, int node, SimScheduler scheduler, SimNetwork network, SimZooKeeper ensemble,
                SimClock clock, long timeoutNanos, SimTrace trace) {
        this.name = name;
        this.node = node;
        this.scheduler = scheduler;
        this.network = network;
        this.ensemble = ensemble;
        this.clock = clock;
        this.timeoutNanos = timeoutNanos;
        this.trace = trace;
    }

    void start(ZkConnectionListener connectionListener) {
        this.listener = connectionListener;
        connect();
        tick();
    }

    String name() {
        return name;
    }

    int node() {
        return node;
    }

    long sessionId() {
        return sessionId;
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    boolean isConnected() {
        return connected;
    }

    boolean isOpen(long connectionId) {
        return connectionId == connection;
    }

    /** The process died: its connections die with it. */
    void kill() {
        connection = -1;
        connected = false;
    }

    /** Sends {@code request}; {@code answer} runs with the reply, or with connection loss once retries ran out. */
    void send(ZkRequest request, Consumer<ZkReply> answer) {
        new Operation(request, answer).attempt();
    }

    void onReply(long connectionId, long xid, ZkReply reply) {
        if (connectionId != connection) {
            return;
        }
        lastHeardLocal = localNow();
        if (connecting && xid == 0) {
            connected(reply);
            return;
        }
        Operation operation = pending.remove(xid);
        if (operation != null) {
            operation.answer.accept(reply);
        }
    }

    /** The server closed the connection: disconnected at once, no need to wait for silence. */
    void onConnectionClosed(long connectionId) {
        if (connectionId == connection && connected) {
            suspend(localNow());
        }
    }

    void onWatch(long connectionId, int latch) {
        if (connectionId == connection && connected) {
            lastHeardLocal = localNow();
            listener.latchChanged(latch);
        }
    }

    private void connect() {
        connection++;
        connecting = true;
        long attempt = connection;
        ZkRequest.Connect request = new ZkRequest.Connect(sessionId, timeoutNanos);
        network.stream(node, network.zooKeeperNode(), SimScheduler.ENVIRONMENT, () -> isOpen(attempt),
                () -> ensemble.receive(this, attempt, request.sessionId(), 0, request));
        after(timeoutNanos / 3, () -> {
            if (connecting && connection == attempt) {
                long gaveUp = ++connection;
                after((long) (scheduler.random().nextDouble() * 1_000_000_000L), () -> {
                    if (!connected && connection == gaveUp) {
                        connect();
                    }
                });
            }
        });
    }

    private void connected(ZkReply reply) {
        connecting = false;
        if (reply.code() == ZkReply.Code.SESSION_EXPIRED) {
            trace.line(scheduler.now(), name, "ZooKeeper says session 0x" + Long.toHexString(sessionId)
                    + " expired");
            sessionId = 0;
            reportLost();
            connect();
            return;
        }
        sessionId = reply.sessionId();
        connected = true;
        lostReported = false;
        lastSentLocal = localNow();
        ZkConnectionListener.State state = everConnected ? ZkConnectionListener.State.RECONNECTED
                : ZkConnectionListener.State.CONNECTED;
        everConnected = true;
        trace.line(scheduler.now(), name, "ZooKeeper " + state + " on session 0x" + Long.toHexString(sessionId));
        listener.stateChanged(state);
        List<Operation> resumed = List.copyOf(waiting);
        waiting.clear();
        resumed.forEach(Operation::connectedNow);
    }

    private void tick() {
        long now = localNow();
        if (connected) {
            if (now - lastHeardLocal >= 2 * timeoutNanos / 3) {
                suspend(now);
            } else if (now - lastSentLocal >= timeoutNanos / 3) {
                transmit(0, new ZkRequest.Ping());
            }
        } else if (!lostReported && sessionId != 0 && now - suspendedSinceLocal >= timeoutNanos) {
            // Curator gives up on a session after S in SUSPENDED and opens a new one (injected expiry).
            trace.line(scheduler.now(), name, "Curator: session 0x" + Long.toHexString(sessionId)
                    + " given up after S suspended");
            sessionId = 0;
            reportLost();
            connect();
        }
        after(timeoutNanos / 6, this::tick);
    }

    private void suspend(long now) {
        connected = false;
        suspendedSinceLocal = now;
        trace.line(scheduler.now(), name, "ZooKeeper SUSPENDED");
        failPending();
        listener.stateChanged(ZkConnectionListener.State.SUSPENDED);
        connect();
    }

    private void reportLost() {
        failPending();
        if (!lostReported) {
            lostReported = true;
            listener.stateChanged(ZkConnectionListener.State.LOST);
        }
    }

    private void failPending() {
        List<Operation> failing = List.copyOf(pending.values());
        pending.clear();
        failing.forEach(Operation::failed);
    }

    private void transmit(long xid, ZkRequest request) {
        long on = connection;
        long session = sessionId;
        lastSentLocal = localNow();
        network.stream(node, network.zooKeeperNode(), SimScheduler.ENVIRONMENT, () -> isOpen(on),
                () -> ensemble.receive(this, on, session, xid, request));
    }

    private SimScheduler.Scheduled after(long localDelayNanos, Runnable action) {
        long due = clock.global(localNow() + localDelayNanos);
        return scheduler.at(Math.max(due, scheduler.now()), node, action);
    }

    private long localNow() {
        return clock.local(scheduler.now());
    }
}
