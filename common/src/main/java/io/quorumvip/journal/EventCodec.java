package io.quorumvip.journal;

import java.util.ArrayList;

import java.util.List;

import io.quorumvip.events.Cause;
import io.quorumvip.events.CauseKind;
import io.quorumvip.events.Event;
import io.quorumvip.events.EventRecord;
import io.quorumvip.events.EventType;
import io.quorumvip.events.Hash256;
import io.quorumvip.ownership.OwnershipDecision;
import io.quorumvip.ownership.OwnershipInputs;
import io.quorumvip.ownership.OwnershipReason;
import io.quorumvip.ownership.RoleInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The hand-written binary encoding of an {@link EventRecord}, schema version {@link #SCHEMA_VERSION}. Layout:
 * type (u8), node (string), seq (varint), wall µs (zig-zag), monotonic ns (zig-zag), HLC (varint), lease epoch
 * (varint), cause kind (u8), cause subject (string), cause value (zig-zag), previous hash (32 bytes), then the
 * event's own fields in declaration order. Strings are a varint length and UTF-8 bytes.
 */
public final class EventCodec {

    /**
     * Bump when any layout changes; readers refuse segments written with a version they do not know. Version 2
     * added {@code VipReleased.lifetimeEndedMicros}; version 3 the load-balancing events ({@link LbEventCodec});
     * version 4 {@code SyncGroupStateChanged} and {@code RoutingChanged}.
     */
    public static final int SCHEMA_VERSION = 4;

    /** The oldest version this code still reads. */
    public static final int OLDEST_READABLE_VERSION = 1;

    /**
     * The largest payload of one record: 1 MiB with its 8-byte frame header. A PoolChanged carries the whole pool
     * (10,000 real servers are 220 KB with IPv4 endpoints, 463 KB with long IPv6 ones); the frame still fits the
     * segment reader's 1 MiB window and the shipper's 1 MiB batch, so every record reads and ships on its own.
     */
    public static final int MAX_PAYLOAD = (1 << 20) - 8;

    private final BinaryReader reader = new BinaryReader();

    static void encode(EventRecord record, BinaryWriter out) {
        Event event = record.event();
        out.u8(event.type().byteValue());
        out.string(record.node());
        out.varint(record.seq());
        out.zigzag(record.wallMicros());
        out.zigzag(record.monoNanos());
        out.varint(record.hlc());
        out.varint(record.leaseEpoch());
        out.u8(record.cause().kind().byteValue());
        out.string(record.cause().subject());
        out.zigzag(record.cause().value());
        out.bytes(record.previousHash().bytes());
        encodeBody(event, out);
    }

    /** Encodes into a fresh array; for tests and tools, the journal reuses its own buffer. */
    public static byte[] encode(EventRecord record) {
        BinaryWriter out = new BinaryWriter(128);
        encode(record, out);
        return Arrays.copyOf(out.array(), out.position());
    }

    /** Decodes one record; the reader's string cache makes one codec per reading thread worthwhile. */
    public EventRecord decode(byte[] source, int offset, int length) {
        try {
            return decodeRecord(source, offset, length);
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException(e.getMessage());
        }
    }

    private EventRecord decodeRecord(byte[] source, int offset, int length) {
        BinaryReader in = reader;
        in.reset(source, offset, length);
        EventType type = EventType.valueOf((byte) in.u8("event type"));
        String node = in.string("node");
        long seq = in.varint("seq");
        long wall = in.zigzag("wall time");
        long mono = in.zigzag("monotonic time");
        long hlc = in.varint("hlc");
        long epoch = in.varint("lease epoch");
        CauseKind kind = CauseKind.valueOf((byte) in.u8("cause kind"));
        Cause cause = new Cause(kind, in.string("cause subject"), in.zigzag("cause value"));
        Hash256 previous = new Hash256(in.bytes(Hash256.LENGTH, "previous hash"));
        Event event = decodeBody(type, in);
        if (in.remaining() != 0) {
            throw new MalformedRecordException(type + " record has " + in.remaining() + " trailing bytes (expected 0)");
        }
        return new EventRecord(node, seq, wall, mono, hlc, epoch, cause, previous, event);
    }

    private static final long MAX_RELOAD_NAMES = 100_000;

    private static void encodeBody(Event event, BinaryWriter out) {
        switch (event.type()) {
            case AGENT_STARTED -> out.string(((Event.AgentStarted) event).version());
            case AGENT_STOPPED -> out.string(((Event.AgentStopped) event).reason());
            case CONFIG_LOADED -> {
                var e = (Event.ConfigLoaded) event;
                out.string(e.path());
                out.bytes(e.sha256().bytes());
            }
            case CONFIG_RELOADED -> {
                var e = (Event.ConfigReloaded) event;
                out.string(e.path());
                out.bytes(e.sha256().bytes());
                out.bool(e.applied());
                out.string(e.detail());
                for (List<String> names : List.of(e.added(), e.removed(), e.changed(), e.unchanged())) {
                    out.varint(names.size());
                    names.forEach(out::string);
                }
            }
            case VRRP_STATE_CHANGED -> {
                var e = (Event.VrrpStateChanged) event;
                out.string(e.instance());
                out.zigzag(e.vrid());
                out.u8(e.from().byteValue());
                out.u8(e.to().byteValue());
            }
            case EFFECTIVE_PRIORITY_CHANGED -> {
                var e = (Event.EffectivePriorityChanged) event;
                out.string(e.instance());
                out.zigzag(e.basePriority());
                out.zigzag(e.from());
                out.zigzag(e.to());
            }
            case TRACKER_RESULT_CHANGED -> {
                var e = (Event.TrackerResultChanged) event;
                out.string(e.tracker());
                out.bool(e.healthy());
                out.string(e.detail());
            }
            case LEASE_REQUESTED -> {
                var e = (Event.LeaseRequested) event;
                out.string(e.instance());
                out.zigzag(e.sessionId());
            }
            case LEASE_ACQUIRED -> {
                var e = (Event.LeaseAcquired) event;
                out.string(e.instance());
                out.zigzag(e.sessionId());
                out.zigzag(e.validUntilNanos());
            }
            case LEASE_CONFIRMATION_LAPSED -> {
                var e = (Event.LeaseConfirmationLapsed) event;
                out.string(e.instance());
                out.zigzag(e.sessionId());
                out.zigzag(e.validUntilNanos());
            }
            case LEASE_LOST -> {
                var e = (Event.LeaseLost) event;
                out.string(e.instance());
                out.zigzag(e.sessionId());
            }
            case LEASE_RELEASED -> {
                var e = (Event.LeaseReleased) event;
                out.string(e.instance());
                out.zigzag(e.sessionId());
            }
            case VIP_BIND_INTENDED -> {
                var e = (Event.VipBindIntended) event;
                out.string(e.instance());
                out.string(e.address());
                out.zigzag(e.lifetimeSeconds());
            }
            case VIP_BOUND -> {
                var e = (Event.VipBound) event;
                out.string(e.instance());
                out.string(e.address());
                out.zigzag(e.lifetimeSeconds());
            }
            case VIP_RELEASED -> {
                var e = (Event.VipReleased) event;
                out.string(e.instance());
                out.string(e.address());
                out.zigzag(e.lifetimeEndedMicros());
            }
            case FAULT_ENTERED -> {
                var e = (Event.FaultEntered) event;
                out.string(e.instance());
                out.string(e.reason());
            }
            case FAULT_CLEARED -> out.string(((Event.FaultCleared) event).instance());
            case SYNC_GROUP_STATE_CHANGED -> {
                var e = (Event.SyncGroupStateChanged) event;
                out.string(e.group());
                out.string(e.from());
                out.string(e.to());
                out.string(e.member());
                out.string(e.memberState());
            }
            case ROUTING_CHANGED -> {
                var e = (Event.RoutingChanged) event;
                out.string(e.owner());
                out.string(e.kind());
                out.string(e.spec());
                out.bool(e.added());
                out.string(e.error());
            }
            case OPERATOR_ACTION -> {
                var e = (Event.OperatorAction) event;
                out.string(e.command());
                out.string(e.argument());
            }
            case MALFORMED_PACKET_BURST -> {
                var e = (Event.MalformedPacketBurst) event;
                out.string(e.interfaceName());
                out.string(e.reason());
                out.zigzag(e.count());
            }
            case NEW_MASTER_SEEN -> {
                var e = (Event.NewMasterSeen) event;
                out.string(e.instance());
                out.string(e.address());
                out.zigzag(e.priority());
            }
            case OWNERSHIP_DECIDED -> {
                var e = (Event.OwnershipDecided) event;
                OwnershipInputs in = e.inputs();
                out.string(e.instance());
                out.u8(in.role().byteValue());
                out.u8((in.fault() ? 1 : 0) | (in.quorumConfigured() ? 2 : 0) | (in.leaseHeld() ? 4 : 0)
                        | (e.decision().own() ? 8 : 0));
                out.zigzag(in.leaseValidUntilNanos());
                out.zigzag(in.nowNanos());
                out.u8(e.decision().reason().byteValue());
            }
            case REAL_SERVER_UP, REAL_SERVER_DOWN, POOL_CHANGED, VIRTUAL_SERVER_QUORUM_LOST,
                 VIRTUAL_SERVER_QUORUM_GAINED, SORRY_SERVER_IN, SORRY_SERVER_OUT -> LbEventCodec.encode(event, out);
            default -> throw new IllegalStateException("no encoding for event type " + event.type());
        }
    }

    private static Event decodeBody(EventType type, BinaryReader in) {
        return switch (type) {
            case AGENT_STARTED -> new Event.AgentStarted(in.string("version"));
            case AGENT_STOPPED -> new Event.AgentStopped(in.string("reason"));
            case CONFIG_LOADED -> new Event.ConfigLoaded(in.string("path"), new Hash256(in.bytes(Hash256.LENGTH, "config sha256")));
            case CONFIG_RELOADED -> new Event.ConfigReloaded(in.string("path"),
                    new Hash256(in.bytes(Hash256.LENGTH, "config sha256")), in.bool("applied"), in.string("detail"),
                    names(in, "added"), names(in, "removed"), names(in, "changed"), names(in, "unchanged"));
            case VRRP_STATE_CHANGED -> new Event.VrrpStateChanged(in.string("instance"), in.zigzag32("vrid"),
                    role(in, "from"), role(in, "to"));
            case EFFECTIVE_PRIORITY_CHANGED -> new Event.EffectivePriorityChanged(in.string("instance"),
                    in.zigzag32("base priority"), in.zigzag32("from priority"), in.zigzag32("to priority"));
            case TRACKER_RESULT_CHANGED -> new Event.TrackerResultChanged(in.string("tracker"), in.bool("healthy"),
                    in.string("detail"));
            case LEASE_REQUESTED -> new Event.LeaseRequested(in.string("instance"), in.zigzag("session id"));
            case LEASE_ACQUIRED -> new Event.LeaseAcquired(in.string("instance"), in.zigzag("session id"),
                    in.zigzag("valid until"));
            case LEASE_CONFIRMATION_LAPSED -> new Event.LeaseConfirmationLapsed(in.string("instance"),
                    in.zigzag("session id"), in.zigzag("last confirmed"));
            case LEASE_LOST -> new Event.LeaseLost(in.string("instance"), in.zigzag("session id"));
            case LEASE_RELEASED -> new Event.LeaseReleased(in.string("instance"), in.zigzag("session id"));
            case VIP_BIND_INTENDED -> new Event.VipBindIntended(in.string("instance"), in.string("address"),
                    in.zigzag32("lifetime"));
            case VIP_BOUND -> new Event.VipBound(in.string("instance"), in.string("address"), in.zigzag32("lifetime"));
            case VIP_RELEASED -> new Event.VipReleased(in.string("instance"), in.string("address"),
                    lifetimeEnded(in));
            case FAULT_ENTERED -> new Event.FaultEntered(in.string("instance"), in.string("reason"));
            case FAULT_CLEARED -> new Event.FaultCleared(in.string("instance"));
            case SYNC_GROUP_STATE_CHANGED -> new Event.SyncGroupStateChanged(in.string("group"), in.string("from"),
                    in.string("to"), in.string("member"), in.string("member state"));
            case ROUTING_CHANGED -> new Event.RoutingChanged(in.string("owner"), in.string("kind"), in.string("spec"),
                    in.bool("added"), in.string("error"));
            case OPERATOR_ACTION -> new Event.OperatorAction(in.string("command"), in.string("argument"));
            case MALFORMED_PACKET_BURST -> new Event.MalformedPacketBurst(in.string("interface"), in.string("reason"),
                    in.zigzag("count"));
            case NEW_MASTER_SEEN -> new Event.NewMasterSeen(in.string("instance"), in.string("address"),
                    in.zigzag32("priority"));
            case OWNERSHIP_DECIDED -> decodeOwnership(in);
            case REAL_SERVER_UP, REAL_SERVER_DOWN, POOL_CHANGED, VIRTUAL_SERVER_QUORUM_LOST,
                 VIRTUAL_SERVER_QUORUM_GAINED, SORRY_SERVER_IN, SORRY_SERVER_OUT -> LbEventCodec.decode(type, in);
        };
    }

    private static Event decodeOwnership(BinaryReader in) {
        String instance = in.string("instance");
        RoleInput role = role(in, "role");
        int flags = in.u8("ownership flags");
        if ((flags & ~0x0F) != 0) {
            throw new MalformedRecordException("ownership flags: got " + flags + " (expected bits 0..3 only)");
        }
        long validUntil = in.zigzag("lease valid until");
        long now = in.zigzag("decision time");
        OwnershipReason reason = OwnershipReason.valueOf((byte) in.u8("ownership reason"));
        var inputs = new OwnershipInputs(role, (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, validUntil, now);
        return new Event.OwnershipDecided(instance, inputs, new OwnershipDecision((flags & 8) != 0, reason));
    }

    /**
     * Version 2's last field of {@code VipReleased}; a version-1 record ends before it (removed by the agent). Read
     * by what is left rather than by the segment's version because frames also travel without their segment header
     * (shipped to the coordinator), and an upgraded agent still ships the version-1 records of its older segments.
     */
    /** A reload's list of instance names; bounded so a damaged length cannot make it allocate without end. */
    private static List<String> names(BinaryReader in, String what) {
        long count = in.varint(what + " count");
        if (count > MAX_RELOAD_NAMES) {
            throw new MalformedRecordException(what + " count " + count + " (expected at most " + MAX_RELOAD_NAMES
                    + ")");
        }
        List<String> names = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            names.add(in.string(what));
        }
        return names;
    }

    private static long lifetimeEnded(BinaryReader in) {
        return in.remaining() == 0 ? 0 : in.zigzag("lifetime ended");
    }

    private static RoleInput role(BinaryReader in, String what) {
        return RoleInput.valueOf((byte) in.u8(what));
    }
}
