package io.quorumvip.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;

/**
 * A ZooKeeper ensemble with its real session semantics, modelled as one node of the network:
 * <ul>
 *   <li>a session expires when the ensemble has heard nothing from its client for the session timeout S, measured
 *       on the ensemble's own (drifting) clock and checked every tick; its ephemeral latch nodes vanish then;</li>
 *   <li>every request and ping that arrives on the session's current connection touches it;</li>
 *   <li>without a quorum nothing is answered and nothing expires, and losing it closes every client connection; when the quorum is back the new leader gives
 *       every session a fresh timeout (as ZooKeeper's leader does on election);</li>
 *   <li>a deleted latch node triggers the watches of every session still in the latch.</li>
 * </ul>
 */
final class SimZooKeeper {

    static final long TICK_NANOS = 100_000_000L;

    private static final class Session {
        final long id;
        final long timeoutNanos;
        long lastHeardLocal;
        SimZkClient client;
        long connection;

        Session(long id, long timeoutNanos) {
            this.id = id;
            this.timeoutNanos = timeoutNanos;
        }
    }

    private record LatchNode(int latch, long czxid, long owner, long guid) {
    }

    private final SimScheduler scheduler;
    private final SimNetwork network;
    private final SimClock clock;
    private final SimTrace trace;
    private final Map<Long, Session> sessions = new LinkedHashMap<>();
    private final Map<Integer, List<LatchNode>> latches = new TreeMap<>();
    private boolean quorum = true;
    private long nextSessionId = 0x1000;
    private long nextZxid = 1;

    SimZooKeeper(SimScheduler scheduler, SimNetwork network, SimClock clock, SimTrace trace) {
        this.scheduler = scheduler;
        this.network = network;
        this.clock = clock;
        this.trace = trace;
    }

    void start() {
        scheduler.after(TICK_NANOS, SimScheduler.ENVIRONMENT, this::tick);
    }

    /** The servers stop serving and close their clients' connections (the clients reconnect, in vain, until it is back). */
    void quorumLost() {
        quorum = false;
        trace.line(scheduler.now(), "zk", "quorum lost");
        for (Session session : sessions.values()) {
            if (session.client != null) {
                SimZkClient client = session.client;
                long connection = session.connection;
                network.stream(network.zooKeeperNode(), client.node(), client.node(),
                        () -> client.isOpen(connection), () -> client.onConnectionClosed(connection));
            }
        }
    }

    void quorumRestored() {
        quorum = true;
        long now = localNow();
        for (Session session : sessions.values()) {
            session.lastHeardLocal = now;
        }
        trace.line(scheduler.now(), "zk", "quorum restored: every session gets a fresh timeout");
    }

    /** A request from {@code client} on its connection {@code connection} reached the ensemble. */
    void receive(SimZkClient client, long connection, long sessionId, long xid, ZkRequest request) {
        if (!quorum) {
            return;
        }
        if (request instanceof ZkRequest.Connect connect) {
            connect(client, connection, connect);
            return;
        }
        Session session = sessions.get(sessionId);
        if (session == null || session.client != client || session.connection != connection) {
            return;
        }
        session.lastHeardLocal = localNow();
        ZkReply reply = handle(session, request);
        if (reply != null) {
            answer(client, connection, xid, reply);
        }
    }

    private void connect(SimZkClient client, long connection, ZkRequest.Connect connect) {
        Session session;
        if (connect.sessionId() == 0) {
            session = new Session(nextSessionId++, connect.timeoutNanos());
            sessions.put(session.id, session);
            trace.line(scheduler.now(), "zk", "session 0x" + Long.toHexString(session.id) + " created for "
                    + client.name());
        } else {
            session = sessions.get(connect.sessionId());
            if (session == null) {
                answer(client, connection, 0, new ZkReply(ZkReply.Code.SESSION_EXPIRED, connect.sessionId(), 0, 0,
                        List.of()));
                return;
            }
        }
        session.client = client;
        session.connection = connection;
        session.lastHeardLocal = localNow();
        answer(client, connection, 0, new ZkReply(ZkReply.Code.OK, session.id, 0, 0, List.of()));
    }

    private ZkReply handle(Session session, ZkRequest request) {
        if (request instanceof ZkRequest.Ping || request instanceof ZkRequest.Sync) {
            return ZkReply.ok();
        } else if (request instanceof ZkRequest.Create create) {
            List<LatchNode> latch = latches.computeIfAbsent(create.latch(), l -> new ArrayList<>());
            for (LatchNode node : latch) {
                if (node.owner() == session.id && node.guid() == create.guid()) {
                    return new ZkReply(ZkReply.Code.OK, session.id, node.czxid(), node.owner(), List.of());
                }
            }
            LatchNode node = new LatchNode(create.latch(), nextZxid++, session.id, create.guid());
            latch.add(node);
            trace.line(scheduler.now(), "zk", "latch node " + node.czxid() + " created by session 0x"
                    + Long.toHexString(session.id));
            return new ZkReply(ZkReply.Code.OK, session.id, node.czxid(), node.owner(), List.of());
        } else if (request instanceof ZkRequest.Delete delete) {
            LatchNode found = find(delete.czxid());
            if (found != null) {
                latches.get(found.latch()).remove(found);
                trace.line(scheduler.now(), "zk", "latch node " + delete.czxid() + " deleted");
                notifyWatchers(found.latch());
            }
            return new ZkReply(found != null ? ZkReply.Code.OK : ZkReply.Code.NONODE, 0, 0, 0, List.of());
        } else if (request instanceof ZkRequest.Exists exists) {
            LatchNode node = find(exists.czxid());
            return node == null ? new ZkReply(ZkReply.Code.NONODE, 0, 0, 0, List.of())
                    : new ZkReply(ZkReply.Code.OK, 0, node.czxid(), node.owner(), List.of());
        } else if (request instanceof ZkRequest.Children children) {
            return new ZkReply(ZkReply.Code.OK, 0, 0, 0, latches.getOrDefault(children.latch(), List.of()).stream()
                    .map(LatchNode::czxid).toList());
        }
        throw new IllegalArgumentException("simulated ZooKeeper got request " + request
                + " (expected one of the ZkRequest records)");
    }

    private void tick() {
        if (quorum) {
            long now = localNow();
            List<Session> expired = sessions.values().stream()
                    .filter(s -> now - s.lastHeardLocal >= s.timeoutNanos).toList();
            for (Session session : expired) {
                sessions.remove(session.id);
                trace.line(scheduler.now(), "zk", "session 0x" + Long.toHexString(session.id) + " of "
                        + (session.client == null ? "?" : session.client.name()) + " expired");
                for (Map.Entry<Integer, List<LatchNode>> latch : latches.entrySet()) {
                    if (latch.getValue().removeIf(node -> node.owner() == session.id)) {
                        notifyWatchers(latch.getKey());
                    }
                }
            }
        }
        scheduler.after(TICK_NANOS, SimScheduler.ENVIRONMENT, this::tick);
    }

    private LatchNode find(long czxid) {
        for (List<LatchNode> latch : latches.values()) {
            for (LatchNode node : latch) {
                if (node.czxid() == czxid) {
                    return node;
                }
            }
        }
        return null;
    }

    private void notifyWatchers(int latch) {
        for (LatchNode node : latches.getOrDefault(latch, List.of())) {
            Session session = sessions.get(node.owner());
            if (session != null && session.client != null) {
                SimZkClient client = session.client;
                long connection = session.connection;
                network.stream(network.zooKeeperNode(), client.node(), client.node(),
                        () -> client.isOpen(connection), () -> client.onWatch(connection, latch));
            }
        }
    }

    private void answer(SimZkClient client, long connection, long xid, ZkReply reply) {
        network.stream(network.zooKeeperNode(), client.node(), client.node(), () -> client.isOpen(connection),
                () -> client.onReply(connection, xid, reply));
    }

    private long localNow() {
        return clock.local(scheduler.now());
    }
}
