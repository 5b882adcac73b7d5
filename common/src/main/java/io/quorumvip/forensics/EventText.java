package io.quorumvip.forensics;

import io.quorumvip.events.Cause;
import io.quorumvip.events.CauseKind;
import io.quorumvip.events.Event;
import io.quorumvip.events.EventRecord;
import io.quorumvip.lb.LbEventText;
import java.util.Optional;

/** An event in words, as a link of a chain of causes. */
final class EventText {

    private EventText() {
    }

    static CauseStep step(EventRecord record) {
        return step(record, describe(record));
    }

    private static CauseStep step(EventRecord record, String description) {
        long t = MergedJournals.timeMicros(record);
        StringBuilder text = new StringBuilder(record.node().length() + description.length() + 14)
                .append(record.node()).append(' ').append(description).append(' ');
        return new CauseStep(record.node(), record.seq(), t, record.hlc(), Times.clock(text, t).toString());
    }

    /**
     * Steps with the words of recent events remembered: a history repeats a few events (the same state change, the
     * same advert) millions of times, and putting their words together was a tenth of forensics' CPU. A slot per
     * hash of event, cause and (for lease events, which name it) lease epoch, replaced on a miss: bounded, and a
     * run of events that never repeat costs only misses. One per thread (not shared).
     */
    static final class Remembered {
        private static final int SLOTS = 4096;

        private final Event[] events = new Event[SLOTS];
        private final Cause[] causes = new Cause[SLOTS];
        private final long[] epochs = new long[SLOTS];
        private final String[] descriptions = new String[SLOTS];

        CauseStep step(EventRecord record) {
            Event event = record.event();
            Cause cause = record.cause();
            long epoch = namesEpoch(event) ? record.leaseEpoch() : 0;
            int hash = (event.hashCode() * 31 + cause.hashCode()) * 31 + Long.hashCode(epoch);
            int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
            String description = descriptions[slot];
            if (description == null || epochs[slot] != epoch || !same(causes[slot], cause)
                    || !events[slot].equals(event)) {
                description = describe(record);
                events[slot] = event;
                causes[slot] = cause;
                epochs[slot] = epoch;
                descriptions[slot] = description;
            }
            return EventText.step(record, description);
        }

        /** {@link Cause#equals} written out: the record's generated one is several times slower under C1. */
        private static boolean same(Cause a, Cause b) {
            return a.kind() == b.kind() && a.value() == b.value() && a.subject().equals(b.subject());
        }

        private static boolean namesEpoch(Event event) {
            return switch (event.type()) {
                case LEASE_ACQUIRED, LEASE_CONFIRMATION_LAPSED, LEASE_LOST, LEASE_RELEASED -> true;
                default -> false;
            };
        }
    }

    static String describe(EventRecord record) {
        Event event = record.event();
        String what = switch (event.type()) {
            case AGENT_STARTED -> "agent started (" + ((Event.AgentStarted) event).version() + ")";
            case AGENT_STOPPED -> "agent stopped (" + ((Event.AgentStopped) event).reason() + ")";
            case CONFIG_LOADED -> {
                var e = (Event.ConfigLoaded) event;
                yield "loaded " + e.path() + " (sha256 " + e.sha256().toHex().substring(0, 12) + "…)";
            }
            case CONFIG_RELOADED -> {
                var e = (Event.ConfigReloaded) event;
                yield (e.applied() ? "reloaded " : "reload refused, running one kept: ") + e.path() + " (sha256 "
                        + e.sha256().toHex().substring(0, 12) + "…) added " + e.added() + " removed " + e.removed()
                        + " changed " + e.changed() + " unchanged " + e.unchanged()
                        + (e.detail().isEmpty() ? "" : ": " + e.detail());
            }
            case VRRP_STATE_CHANGED -> {
                var e = (Event.VrrpStateChanged) event;
                yield e.instance() + " " + e.from() + " → " + e.to();
            }
            case EFFECTIVE_PRIORITY_CHANGED -> {
                var e = (Event.EffectivePriorityChanged) event;
                yield e.instance() + " priority " + e.from() + " → " + e.to();
            }
            case TRACKER_RESULT_CHANGED -> {
                var e = (Event.TrackerResultChanged) event;
                yield "tracker " + e.tracker() + (e.healthy() ? " healthy" : " failing")
                        + (e.detail().isEmpty() ? "" : " (" + e.detail() + ")");
            }
            case LEASE_REQUESTED -> {
                var e = (Event.LeaseRequested) event;
                yield e.instance() + " contends for the lease (session " + session(e.sessionId()) + ")";
            }
            case LEASE_ACQUIRED -> {
                var e = (Event.LeaseAcquired) event;
                yield e.instance() + " lease epoch " + record.leaseEpoch() + " acquired (session " + session(e.sessionId()) + ")";
            }
            case LEASE_CONFIRMATION_LAPSED -> {
                var e = (Event.LeaseConfirmationLapsed) event;
                yield e.instance() + " lease epoch " + record.leaseEpoch() + " not confirmed in time (session "
                        + session(e.sessionId()) + ")";
            }
            case LEASE_LOST -> {
                var e = (Event.LeaseLost) event;
                yield e.instance() + " lost lease epoch " + record.leaseEpoch() + " (session " + session(e.sessionId()) + ")";
            }
            case LEASE_RELEASED -> {
                var e = (Event.LeaseReleased) event;
                yield e.instance() + " released lease epoch " + record.leaseEpoch();
            }
            case VIP_BIND_INTENDED -> {
                var e = (Event.VipBindIntended) event;
                yield e.instance() + " about to bind " + e.address();
            }
            case VIP_BOUND -> {
                var e = (Event.VipBound) event;
                yield e.instance() + " VIP " + e.address() + " bound"
                        + (e.lifetimeSeconds() > 0 ? " (lifetime " + e.lifetimeSeconds() + " s)" : " (no lifetime)");
            }
            case VIP_RELEASED -> {
                var e = (Event.VipReleased) event;
                yield e.instance() + " VIP " + e.address() + (e.removedByKernel()
                        ? " removed by the kernel when its lifetime ended at " + Times.clock(e.lifetimeEndedMicros())
                        : " released");
            }
            case FAULT_ENTERED -> {
                var e = (Event.FaultEntered) event;
                yield e.instance() + " FAULT (" + e.reason() + ")";
            }
            case FAULT_CLEARED -> ((Event.FaultCleared) event).instance() + " fault cleared";
            case SYNC_GROUP_STATE_CHANGED -> {
                var e = (Event.SyncGroupStateChanged) event;
                yield "sync group " + e.group() + " " + (e.from().isEmpty() ? "" : e.from() + " → ") + e.to() + " ("
                        + e.member() + " " + e.memberState() + ")";
            }
            case ROUTING_CHANGED -> {
                var e = (Event.RoutingChanged) event;
                yield e.owner() + " " + e.kind() + " " + e.spec() + (e.applied() ? (e.added() ? " added" : " removed")
                        : " not " + (e.added() ? "added" : "removed") + " (" + e.error() + ")");
            }
            case OPERATOR_ACTION -> {
                var e = (Event.OperatorAction) event;
                yield "operator " + e.command() + " " + e.argument();
            }
            case MALFORMED_PACKET_BURST -> {
                var e = (Event.MalformedPacketBurst) event;
                yield e.count() + " malformed packets on " + e.interfaceName() + " (" + e.reason() + ")";
            }
            case NEW_MASTER_SEEN -> {
                var e = (Event.NewMasterSeen) event;
                yield e.instance() + " adverts now from " + e.address() + " priority " + e.priority();
            }
            case OWNERSHIP_DECIDED -> {
                var e = (Event.OwnershipDecided) event;
                yield e.instance() + " decides own=" + e.decision().own() + " (" + e.decision().reason() + ")";
            }
            case REAL_SERVER_UP, REAL_SERVER_DOWN, POOL_CHANGED, VIRTUAL_SERVER_QUORUM_LOST,
                 VIRTUAL_SERVER_QUORUM_GAINED, SORRY_SERVER_IN, SORRY_SERVER_OUT -> LbEventText.describe(event);
        };
        return record.cause().kind() == CauseKind.NONE ? what : what + " [" + cause(record) + "]";
    }

    /** The instance an event is about, if it is about one. */
    static Optional<String> instanceOf(Event event) {
        return Optional.ofNullable(switch (event.type()) {
            case VRRP_STATE_CHANGED -> ((Event.VrrpStateChanged) event).instance();
            case EFFECTIVE_PRIORITY_CHANGED -> ((Event.EffectivePriorityChanged) event).instance();
            case LEASE_REQUESTED -> ((Event.LeaseRequested) event).instance();
            case LEASE_ACQUIRED -> ((Event.LeaseAcquired) event).instance();
            case LEASE_CONFIRMATION_LAPSED -> ((Event.LeaseConfirmationLapsed) event).instance();
            case LEASE_LOST -> ((Event.LeaseLost) event).instance();
            case LEASE_RELEASED -> ((Event.LeaseReleased) event).instance();
            case VIP_BIND_INTENDED -> ((Event.VipBindIntended) event).instance();
            case VIP_BOUND -> ((Event.VipBound) event).instance();
            case VIP_RELEASED -> ((Event.VipReleased) event).instance();
            case FAULT_ENTERED -> ((Event.FaultEntered) event).instance();
            case FAULT_CLEARED -> ((Event.FaultCleared) event).instance();
            case NEW_MASTER_SEEN -> ((Event.NewMasterSeen) event).instance();
            case OWNERSHIP_DECIDED -> ((Event.OwnershipDecided) event).instance();
            default -> null;
        });
    }

    private static String cause(EventRecord record) {
        var cause = record.cause();
        if (cause.kind() == CauseKind.LEASE_WATCH && cause.value() != 0) {
            return cause.kind() + (cause.subject().isEmpty() ? "" : " " + cause.subject()) + " session " + session(cause.value());
        }
        return cause.toString();
    }

    private static String session(long id) {
        return "0x" + Long.toHexString(id);
    }
}
