package io.quorumvip.journal;

import io.quorumvip.events.Event;
import io.quorumvip.events.EventType;
import java.util.ArrayList;
import java.util.List;

/** The bodies of the load-balancing events (schema version 3), kept apart from the VRRP side's in {@link EventCodec}. */
final class LbEventCodec {

    /** A pool larger than this in one record is corrupt input, not a pool (guards the allocation). */
    static final int MAX_POOL_MEMBERS = 1_000_000;

    private LbEventCodec() {
    }

    static void encode(Event event, BinaryWriter out) {
        switch (event.type()) {
            case REAL_SERVER_UP -> {
                var e = (Event.RealServerUp) event;
                realServer(e.virtualServer(), e.realServer(), e.evidence(), out);
            }
            case REAL_SERVER_DOWN -> {
                var e = (Event.RealServerDown) event;
                realServer(e.virtualServer(), e.realServer(), e.evidence(), out);
            }
            case POOL_CHANGED -> {
                var e = (Event.PoolChanged) event;
                out.string(e.virtualServer());
                out.varint(e.generation());
                out.varint(e.members().size());
                for (Event.PoolMemberEntry member : e.members()) {
                    out.string(member.endpoint());
                    out.zigzag(member.weight());
                    out.bool(member.sorry());
                }
            }
            case VIRTUAL_SERVER_QUORUM_LOST -> {
                var e = (Event.VirtualServerQuorumLost) event;
                quorum(e.virtualServer(), e.liveWeight(), e.threshold(), out);
            }
            case VIRTUAL_SERVER_QUORUM_GAINED -> {
                var e = (Event.VirtualServerQuorumGained) event;
                quorum(e.virtualServer(), e.liveWeight(), e.threshold(), out);
            }
            case SORRY_SERVER_IN -> sorry(((Event.SorryServerIn) event).virtualServer(),
                    ((Event.SorryServerIn) event).sorryServer(), out);
            case SORRY_SERVER_OUT -> sorry(((Event.SorryServerOut) event).virtualServer(),
                    ((Event.SorryServerOut) event).sorryServer(), out);
            default -> throw new IllegalStateException("not a load-balancing event: " + event.type());
        }
    }

    private static void sorry(String virtualServer, String sorryServer, BinaryWriter out) {
        out.string(virtualServer);
        out.string(sorryServer);
    }

    static Event decode(EventType type, BinaryReader in) {
        return switch (type) {
            case REAL_SERVER_UP -> new Event.RealServerUp(in.string("virtual server"), in.string("real server"),
                    evidence(in));
            case REAL_SERVER_DOWN -> new Event.RealServerDown(in.string("virtual server"), in.string("real server"),
                    evidence(in));
            case POOL_CHANGED -> {
                String virtualServer = in.string("virtual server");
                long generation = in.varint("generation");
                long count = in.varint("pool size");
                if (count > MAX_POOL_MEMBERS) {
                    throw new MalformedRecordException("pool size " + count + " (expected at most "
                            + MAX_POOL_MEMBERS + ")");
                }
                List<Event.PoolMemberEntry> members = new ArrayList<>();
                for (long i = 0; i < count; i++) {
                    members.add(new Event.PoolMemberEntry(in.string("endpoint"), in.zigzag32("weight"),
                            in.bool("sorry")));
                }
                yield new Event.PoolChanged(virtualServer, generation, members);
            }
            case VIRTUAL_SERVER_QUORUM_LOST -> new Event.VirtualServerQuorumLost(in.string("virtual server"),
                    in.zigzag("live weight"), in.zigzag("threshold"));
            case VIRTUAL_SERVER_QUORUM_GAINED -> new Event.VirtualServerQuorumGained(in.string("virtual server"),
                    in.zigzag("live weight"), in.zigzag("threshold"));
            case SORRY_SERVER_IN -> new Event.SorryServerIn(in.string("virtual server"), in.string("sorry server"));
            case SORRY_SERVER_OUT -> new Event.SorryServerOut(in.string("virtual server"), in.string("sorry server"));
            default -> throw new IllegalStateException("not a load-balancing event: " + type);
        };
    }

    private static void realServer(String virtualServer, String realServer, Event.CheckEvidence evidence,
                                   BinaryWriter out) {
        out.string(virtualServer);
        out.string(realServer);
        out.string(evidence.checker());
        out.string(evidence.detail());
        out.zigzag(evidence.statusCode());
        out.zigzag(evidence.exitCode());
        out.zigzag(evidence.latencyMicros());
        out.zigzag(evidence.consecutive());
    }

    private static Event.CheckEvidence evidence(BinaryReader in) {
        return new Event.CheckEvidence(in.string("checker"), in.string("detail"), in.zigzag32("status code"),
                in.zigzag32("exit code"), in.zigzag("latency"), in.zigzag32("consecutive"));
    }

    private static void quorum(String virtualServer, long liveWeight, long threshold, BinaryWriter out) {
        out.string(virtualServer);
        out.zigzag(liveWeight);
        out.zigzag(threshold);
    }
}
