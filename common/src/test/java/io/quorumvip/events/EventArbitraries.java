package io.quorumvip.events;

import io.quorumvip.ownership.OwnershipInputs;
import io.quorumvip.ownership.OwnershipRule;
import io.quorumvip.ownership.RoleInput;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators for every event type and a whole record; shared by the codec and journal tests. */
public final class EventArbitraries {

    private EventArbitraries() {
    }

    static Arbitrary<String> names() {
        return Arbitraries.strings().ofMinLength(0).ofMaxLength(24);
    }

    static Arbitrary<String> addresses() {
        return Arbitraries.integers().between(1, 254).map(i -> "192.0.2." + i);
    }

    static Arbitrary<Hash256> hashes() {
        return Arbitraries.bytes().array(byte[].class).ofSize(Hash256.LENGTH).map(Hash256::new);
    }

    public static Arbitrary<Event> events() {
        Arbitrary<RoleInput> roles = Arbitraries.of(RoleInput.class);
        Arbitrary<Long> longs = Arbitraries.longs();
        Arbitrary<Integer> ints = Arbitraries.integers();
        Arbitrary<Boolean> bools = Arbitraries.of(true, false);
        return Arbitraries.oneOf(
                names().map(Event.AgentStarted::new),
                names().map(Event.AgentStopped::new),
                Combinators.combine(names(), hashes()).as(Event.ConfigLoaded::new),
                Combinators.combine(names(), hashes(), bools, names(), names().list().ofMaxSize(3),
                        names().list().ofMaxSize(3), names().list().ofMaxSize(3), names().list().ofMaxSize(3))
                        .as(Event.ConfigReloaded::new),
                Combinators.combine(names(), ints, roles, roles).as(Event.VrrpStateChanged::new),
                Combinators.combine(names(), ints, ints, ints).as(Event.EffectivePriorityChanged::new),
                Combinators.combine(names(), bools, names()).as(Event.TrackerResultChanged::new),
                Combinators.combine(names(), longs).as(Event.LeaseRequested::new),
                Combinators.combine(names(), longs, longs).as(Event.LeaseAcquired::new),
                Combinators.combine(names(), longs, longs).as(Event.LeaseConfirmationLapsed::new),
                Combinators.combine(names(), longs).as(Event.LeaseLost::new),
                Combinators.combine(names(), longs).as(Event.LeaseReleased::new),
                Combinators.combine(names(), addresses(), ints).as(Event.VipBindIntended::new),
                Combinators.combine(names(), addresses(), ints).as(Event.VipBound::new),
                Combinators.combine(names(), addresses(), Arbitraries.longs().greaterOrEqual(0))
                        .as(Event.VipReleased::new),
                Combinators.combine(names(), names()).as(Event.FaultEntered::new),
                names().map(Event.FaultCleared::new),
                Combinators.combine(names(), Arbitraries.of("", "BACKUP", "MASTER", "FAULT"),
                        Arbitraries.of("BACKUP", "MASTER", "FAULT"), names(), Arbitraries.of("BACKUP", "MASTER", "FAULT"))
                        .as(Event.SyncGroupStateChanged::new),
                Combinators.combine(names(), Arbitraries.of("route", "rule"), names(), bools, names())
                        .as(Event.RoutingChanged::new),
                Combinators.combine(names(), names()).as(Event.OperatorAction::new),
                Combinators.combine(names(), names(), longs).as(Event.MalformedPacketBurst::new),
                Combinators.combine(names(), addresses(), ints).as(Event.NewMasterSeen::new),
                Combinators.combine(names(), roles, bools, bools, bools, longs, longs)
                        .as((instance, role, fault, quorum, held, until, now) -> {
                            var inputs = new OwnershipInputs(role, fault, quorum, held, until, now);
                            return new Event.OwnershipDecided(instance, inputs, OwnershipRule.decide(inputs));
                        }),
                loadBalancing());
    }

    static Arbitrary<Event> loadBalancing() {
        Arbitrary<Event.CheckEvidence> evidence = Combinators.combine(Arbitraries.of("TCP_CHECK", "HTTP_GET",
                        "MISC_CHECK"), names(), Arbitraries.integers().between(-1, 599),
                Arbitraries.integers().between(-1, 255), Arbitraries.longs().greaterOrEqual(0),
                Arbitraries.integers().between(1, 100)).as(Event.CheckEvidence::new);
        Arbitrary<String> endpoints = addresses().map(a -> a + ":80");
        Arbitrary<Event.PoolMemberEntry> members = Combinators.combine(endpoints,
                Arbitraries.integers().between(0, 65_535), Arbitraries.of(true, false)).as(Event.PoolMemberEntry::new);
        return Arbitraries.oneOf(
                Combinators.combine(names(), endpoints, evidence).as(Event.RealServerUp::new),
                Combinators.combine(names(), endpoints, evidence).as(Event.RealServerDown::new),
                Combinators.combine(names(), Arbitraries.longs().greaterOrEqual(0), members.list().ofMaxSize(12))
                        .as(Event.PoolChanged::new),
                Combinators.combine(names(), Arbitraries.longs(), Arbitraries.longs())
                        .as(Event.VirtualServerQuorumLost::new),
                Combinators.combine(names(), Arbitraries.longs(), Arbitraries.longs())
                        .as(Event.VirtualServerQuorumGained::new),
                Combinators.combine(names(), endpoints).as(Event.SorryServerIn::new),
                Combinators.combine(names(), endpoints).as(Event.SorryServerOut::new));
    }

    public static Arbitrary<Cause> causes() {
        return Combinators.combine(Arbitraries.of(CauseKind.class), names(), Arbitraries.longs()).as(Cause::new);
    }

    public static Arbitrary<EventRecord> records() {
        return Combinators.combine(
                        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(16),
                        Arbitraries.longs().greaterOrEqual(1),
                        Arbitraries.longs(),
                        Arbitraries.longs(),
                        Arbitraries.longs().greaterOrEqual(0),
                        Arbitraries.longs().greaterOrEqual(0),
                        causes(),
                        hashes())
                .flatAs((node, seq, wall, mono, hlc, epoch, cause, prev) -> events()
                        .map(event -> new EventRecord(node, seq, wall, mono, hlc, epoch, cause, prev, event)));
    }
}
