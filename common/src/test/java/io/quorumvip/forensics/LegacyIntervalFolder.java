package io.quorumvip.forensics;

import io.quorumvip.events.Event;
import io.quorumvip.events.EventRecord;
import io.quorumvip.lease.LeaseTiming;
import io.quorumvip.ownership.RoleInput;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The folder as it was before streaming (issue 15), the reference: every record held, crashes resolved at the end.
 * Folds merged records into per-node intervals: VRRP roles, lease holdings by epoch, bound addresses.
 *
 * <p>A crash leaves no record, so what a crashed process held is closed by evidence. A journal that merely ends is
 * no evidence: a running agent with nothing to record (or whose records are not shipped yet) looks the same, so its
 * holdings stay open. Evidence of a crash is its restart, or another node taking over: the same lease with a newer
 * epoch (ZooKeeper hands it over only once the holder's session expired or it let go), or, for an instance without a
 * lease, another node becoming MASTER. Its addresses: a restarted agent removes leftovers at start and journals each
 * removal, which closes them; an address with a kernel lifetime was bound under a lease, whose holder could not renew
 * it after another node acquired the lease, so it was gone by that take-over plus the lifetime. Renewals of the
 * lifetime are not journaled: the end of a crashed holding is therefore a range, never a guess. The same holds for a
 * frozen agent whose kernel removed the address when its lifetime ran out: its release, journaled after it woke,
 * names the lifetime's end, and the holding ended within the kernel's removal slack after it.
 */
final class LegacyIntervalFolder {

    /** How late after a lifetime's end the kernel removes the address: the slack the lease margin budgets. */
    private static final long KERNEL_REMOVAL_SLACK_MICROS = LeaseTiming.KERNEL_OVERSHOOT.toNanos() / 1_000;

    private final Map<String, NodeTrack> nodes = new LinkedHashMap<>();
    private final List<Pending> pending = new ArrayList<>();
    private final List<Interval> closed = new ArrayList<>();
    private final List<Takeover> masters = new ArrayList<>();
    private final List<Takeover> leases = new ArrayList<>();
    private long endOfJournals = Long.MIN_VALUE;

    private record Open(IntervalKind kind, String instance, String subject, int lifetimeSeconds, long start,
                        EventRecord opening) {
    }

    /**
     * An interval whose process vanished: ended after {@code lastSeen}, at the latest by {@code latest}; {@code leased}
     * when its instance ran with the quorum lease.
     */
    private record Pending(Open open, String node, long lastSeen, long latest, boolean restarted, boolean leased) {
    }

    /** Another node became MASTER, or acquired a lease, at this time. */
    private record Takeover(String node, String instance, long time) {
    }

    private static final class NodeTrack {
        final String node;
        EventRecord last;
        boolean running;
        final Map<String, Integer> vrids = new HashMap<>();
        final Set<String> leasedInstances = new HashSet<>();
        final Map<String, Open> roles = new LinkedHashMap<>();
        final Map<String, Open> leases = new LinkedHashMap<>();
        final Map<String, Open> vips = new LinkedHashMap<>();
        final List<Pending> orphans = new ArrayList<>();

        NodeTrack(String node) {
            this.node = node;
        }
    }

    static List<Interval> fold(List<EventRecord> merged) {
        LegacyIntervalFolder folder = new LegacyIntervalFolder();
        for (int i = 0; i < merged.size(); i++) {
            if (i % Cancellation.EVERY == 0) {
                Cancellation.check();
            }
            folder.apply(merged.get(i));
        }
        return folder.finish();
    }

    private void apply(EventRecord record) {
        long t = MergedJournals.timeMicros(record);
        endOfJournals = Math.max(endOfJournals, t);
        NodeTrack node = nodes.computeIfAbsent(record.node(), NodeTrack::new);
        resolveOrphans(node, record, t);
        Event event = record.event();
        switch (event.type()) {
            case AGENT_STARTED -> {
                if (node.running && node.last != null) {
                    crashed(node, MergedJournals.timeMicros(node.last), t, true);
                }
                node.running = true;
                node.leasedInstances.clear();
            }
            case AGENT_STOPPED -> {
                closeAll(node, record, t);
                node.running = false;
            }
            case VRRP_STATE_CHANGED -> {
                var changed = (Event.VrrpStateChanged) event;
                node.running = true;
                node.vrids.put(changed.instance(), changed.vrid());
                close(node, node.roles.remove(changed.instance()), record, t);
                node.roles.put(changed.instance(), new Open(IntervalKind.ROLE, changed.instance(), changed.to().name(), 0,
                        t, record));
                if (changed.to() == RoleInput.MASTER) {
                    masters.add(new Takeover(node.node, changed.instance(), t));
                }
            }
            case LEASE_REQUESTED -> node.leasedInstances.add(((Event.LeaseRequested) event).instance());
            case LEASE_ACQUIRED -> {
                var acquired = (Event.LeaseAcquired) event;
                node.leasedInstances.add(acquired.instance());
                String epoch = Long.toString(record.leaseEpoch());
                Open held = node.leases.get(acquired.instance());
                if (held == null || !held.subject().equals(epoch)) {
                    close(node, node.leases.remove(acquired.instance()), record, t);
                    node.leases.put(acquired.instance(), new Open(IntervalKind.LEASE, acquired.instance(), epoch, 0, t,
                            record));
                    leases.add(new Takeover(node.node, acquired.instance(), t));
                }
            }
            case LEASE_CONFIRMATION_LAPSED ->
                    close(node, node.leases.remove(((Event.LeaseConfirmationLapsed) event).instance()), record, t);
            case LEASE_LOST -> close(node, node.leases.remove(((Event.LeaseLost) event).instance()), record, t);
            case LEASE_RELEASED -> close(node, node.leases.remove(((Event.LeaseReleased) event).instance()), record, t);
            case VIP_BOUND -> {
                var bound = (Event.VipBound) event;
                if (!node.vips.containsKey(bound.address())) {
                    node.vips.put(bound.address(), new Open(IntervalKind.VIP, bound.instance(), bound.address(),
                            bound.lifetimeSeconds(), t, record));
                }
            }
            case VIP_RELEASED -> {
                var released = (Event.VipReleased) event;
                Open vip = node.vips.remove(released.address());
                if (vip != null && released.removedByKernel()) {
                    expired(node, vip, released, record, t);
                } else {
                    close(node, vip, record, t);
                }
            }
            default -> {
            }
        }
        node.last = record;
    }

    /**
     * A restarted process removes addresses left by the crashed one before it starts the instance, journaling
     * each removal: a removal closes the leftover then; the instance starting without one means it was gone.
     */
    private void resolveOrphans(NodeTrack node, EventRecord record, long t) {
        Iterator<Pending> it = node.orphans.iterator();
        while (it.hasNext()) {
            Pending orphan = it.next();
            if (record.event() instanceof Event.VipReleased released && released.address().equals(orphan.open().subject())) {
                closed.add(interval(node.node, orphan.open(), t, t, EndReason.RECORDED, Optional.of(record)));
                it.remove();
            } else if (record.event() instanceof Event.VrrpStateChanged changed
                    && changed.instance().equals(orphan.open().instance())) {
                pending.add(orphan);
                it.remove();
            }
        }
    }

    private void crashed(NodeTrack node, long lastSeen, long latest, boolean restarted) {
        for (Map<String, Open> opens : List.of(node.roles, node.leases)) {
            opens.values().forEach(open -> pending.add(new Pending(open, node.node, lastSeen, latest, restarted,
                    node.leasedInstances.contains(open.instance()))));
            opens.clear();
        }
        for (Open vip : node.vips.values()) {
            Pending orphan = new Pending(vip, node.node, lastSeen, latest, restarted,
                    node.leasedInstances.contains(vip.instance()));
            if (restarted) {
                node.orphans.add(orphan);
            } else {
                pending.add(orphan);
            }
        }
        node.vips.clear();
    }

    private void closeAll(NodeTrack node, EventRecord record, long t) {
        for (Map<String, Open> opens : List.of(node.roles, node.leases, node.vips)) {
            opens.values().forEach(open -> close(node, open, record, t));
            opens.clear();
        }
    }

    private void close(NodeTrack node, Open open, EventRecord record, long t) {
        if (open != null) {
            closed.add(interval(node.node, open, t, t, EndReason.RECORDED, Optional.of(record)));
        }
    }

    /**
     * The kernel removed the address once its lifetime ended, within its removal slack, and the agent only noticed
     * later: the holding ended in [lifetime end, lifetime end + slack], and by the release record at the latest.
     * The lifetime's end is on the node's wall clock; it is placed relative to the record's own time, so a wall
     * clock that stepped back moves both alike.
     */
    private void expired(NodeTrack node, Open vip, Event.VipReleased released, EventRecord record, long t) {
        long earliest = Math.min(t, t - (record.wallMicros() - released.lifetimeEndedMicros()));
        long latest = Math.min(t, earliest + KERNEL_REMOVAL_SLACK_MICROS);
        closed.add(interval(node.node, vip, earliest, latest, EndReason.EXPIRED, Optional.of(record)));
    }

    private List<Interval> finish() {
        for (NodeTrack node : nodes.values()) {
            if (node.last == null) {
                continue;
            }
            long lastSeen = MergedJournals.timeMicros(node.last);
            pending.addAll(node.orphans);
            node.orphans.clear();
            crashed(node, lastSeen, endOfJournals, false);
        }
        // Take-overs in merge order, indexed by their running latest time: the first that can follow a crashed
        // holding is found by binary search, not by scanning the whole history for each.
        LegacyRangeIndex<Takeover> masterIndex = new LegacyRangeIndex<>(masters, Takeover::time, Takeover::time);
        LegacyRangeIndex<Takeover> leaseIndex = new LegacyRangeIndex<>(leases, Takeover::time, Takeover::time);
        for (Pending p : pending) {
            closed.add(resolve(p, masterIndex, leaseIndex));
        }
        closed.sort(Comparator.comparingLong(Interval::startMicros).thenComparing(Interval::node)
                .thenComparing(Interval::kind));
        return closed;
    }

    private Interval resolve(Pending p, LegacyRangeIndex<Takeover> masters, LegacyRangeIndex<Takeover> leases) {
        Open open = p.open();
        long lastSeen = Math.max(open.start(), p.lastSeen());
        if (open.kind() == IntervalKind.VIP && open.lifetimeSeconds() == 0 && !p.restarted()) {
            // Without a lifetime the kernel keeps the address of a dead agent until someone removes it.
            return interval(p.node(), open, endOfJournals, endOfJournals, EndReason.OPEN, Optional.empty());
        }
        Optional<Long> successor = switch (open.kind()) {
            case ROLE -> open.subject().equals(RoleInput.MASTER.name())
                    ? firstAfter(p.leased() ? leases : masters, p, lastSeen) : Optional.empty();
            case LEASE -> firstAfter(leases, p, lastSeen);
            case VIP -> open.lifetimeSeconds() > 0 ? firstAfter(leases, p, lastSeen) : Optional.empty();
        };
        long latest = p.latest();
        EndReason reason = p.restarted() ? EndReason.RESTARTED : EndReason.OPEN;
        if (successor.isPresent()) {
            long bound = successor.get() + open.lifetimeSeconds() * 1_000_000L;
            if (bound < latest) {
                latest = bound;
                reason = open.kind() == IntervalKind.VIP ? EndReason.CLOSED_BY_LIFETIME : EndReason.TAKEN_OVER;
            }
        }
        return interval(p.node(), open, lastSeen, Math.max(lastSeen, latest), reason, Optional.empty());
    }

    private Optional<Long> firstAfter(LegacyRangeIndex<Takeover> takeovers, Pending p, long after) {
        String instance = p.open().instance();
        Integer vrid = nodes.get(p.node()).vrids.get(instance);
        for (int i = takeovers.firstReachingPast(after); i < takeovers.size(); i++) {
            Takeover o = takeovers.get(i);
            if (!o.node().equals(p.node()) && o.time() > after
                    && (o.instance().equals(instance) || sameVrid(vrid, nodes.get(o.node()).vrids.get(o.instance())))) {
                return Optional.of(o.time());
            }
        }
        return Optional.empty();
    }

    private static boolean sameVrid(Integer vrid, Integer other) {
        return vrid != null && vrid != 0 && vrid.equals(other);
    }

    private Interval interval(String node, Open open, long endMin, long endMax, EndReason reason,
                              Optional<EventRecord> closing) {
        int vrid = nodes.get(node).vrids.getOrDefault(open.instance(), 0);
        return new Interval(open.kind(), node, open.instance(), vrid, open.subject(), open.lifetimeSeconds(),
                open.start(), Math.max(open.start(), endMin), Math.max(open.start(), endMax), reason, open.opening(),
                closing);
    }
}
