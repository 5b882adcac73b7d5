package io.quorumvip.forensics;

import io.quorumvip.events.Event;
import io.quorumvip.events.EventRecord;
import io.quorumvip.events.HybridLogicalClock;
import io.quorumvip.lease.LeaseTiming;
import io.quorumvip.ownership.RoleInput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
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
 *
 * <p>Streaming: records come one at a time in merge order, and each interval goes out once its end is final — at
 * its closing record, or for a crashed holding once the take-over that bounds it came or can no longer come (the
 * sweep's floor passed its latest end). What is not final yet can be listed ({@link #forEachOpen}), so the incident
 * sweep knows how far back an interval still to come may reach. Take-overs are kept only while a crash could still
 * need them: from the oldest last record of a node that holds something.
 */
final class IntervalFolder {

    /** How late after a lifetime's end the kernel removes the address: the slack the lease margin budgets. */
    private static final long KERNEL_REMOVAL_SLACK_MICROS = LeaseTiming.KERNEL_OVERSHOOT.toNanos() / 1_000;

    /** Records between two trims of the take-overs (a crash looks through those kept for the first that follows it). */
    private static final int TRIM_EVERY = 256;

    private final Map<String, NodeTrack> nodes = new LinkedHashMap<>();
    /** Crashed holdings waiting for the take-over that bounds them. */
    private final List<Pending> pending = new ArrayList<>();
    private final Consumer<Interval> closed;
    /** Take-overs in merge order, the oldest dropped once no crash can reach back to them. */
    private final ArrayDeque<Takeover> masters = new ArrayDeque<>();
    private final ArrayDeque<Takeover> leases = new ArrayDeque<>();
    private long endOfJournals = Long.MIN_VALUE;
    private long applied;

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

    /** Something not final yet: its kind, node, instance, VRID as known now, subject and start. */
    interface OpenVisitor {
        void open(IntervalKind kind, String node, String instance, int vrid, String subject, long start);
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

        NodeTrack copy() {
            NodeTrack copy = new NodeTrack(node);
            copy.last = last;
            copy.running = running;
            copy.vrids.putAll(vrids);
            copy.leasedInstances.addAll(leasedInstances);
            copy.roles.putAll(roles);
            copy.leases.putAll(leases);
            copy.vips.putAll(vips);
            copy.orphans.addAll(orphans);
            return copy;
        }
    }

    /** {@code closed} receives each interval once its end is final. */
    IntervalFolder(Consumer<Interval> closed) {
        this.closed = closed;
    }

    /** A folder that goes on from this one's state on its own, its intervals to {@code closed}. */
    IntervalFolder copy(Consumer<Interval> closed) {
        IntervalFolder copy = new IntervalFolder(closed);
        nodes.forEach((name, track) -> copy.nodes.put(name, track.copy()));
        copy.pending.addAll(pending);
        copy.masters.addAll(masters);
        copy.leases.addAll(leases);
        copy.endOfJournals = endOfJournals;
        copy.applied = applied;
        return copy;
    }

    /** Writes the state (not {@code closed}) for {@link #IntervalFolder(FoldState.Reader, Consumer)}. */
    void save(FoldState.Writer out) throws IOException {
        out.count(nodes.size());
        for (NodeTrack track : nodes.values()) {
            out.text(track.node);
            out.record(track.last);
            out.flag(track.running);
            out.count(track.vrids.size());
            for (Map.Entry<String, Integer> vrid : track.vrids.entrySet()) {
                out.text(vrid.getKey());
                out.count(vrid.getValue());
            }
            out.texts(track.leasedInstances);
            for (Map<String, Open> opens : List.of(track.roles, track.leases, track.vips)) {
                out.count(opens.size());
                for (Map.Entry<String, Open> open : opens.entrySet()) {
                    out.text(open.getKey());
                    save(out, open.getValue());
                }
            }
            save(out, track.orphans);
        }
        save(out, pending);
        for (ArrayDeque<Takeover> list : List.of(masters, leases)) {
            out.count(list.size());
            for (Takeover takeover : list) {
                out.text(takeover.node());
                out.text(takeover.instance());
                out.number(takeover.time());
            }
        }
        out.number(endOfJournals);
        out.number(applied);
    }

    /** A folder with the state {@link #save} wrote, its intervals to {@code closed}. */
    IntervalFolder(FoldState.Reader in, Consumer<Interval> closed) throws IOException {
        this.closed = closed;
        int tracks = in.count();
        for (int i = 0; i < tracks; i++) {
            NodeTrack track = new NodeTrack(in.text());
            track.last = in.record();
            track.running = in.flag();
            int vrids = in.count();
            for (int k = 0; k < vrids; k++) {
                track.vrids.put(in.text(), in.signed());
            }
            track.leasedInstances.addAll(in.texts());
            for (Map<String, Open> opens : List.of(track.roles, track.leases, track.vips)) {
                int count = in.count();
                for (int k = 0; k < count; k++) {
                    opens.put(in.text(), open(in));
                }
            }
            track.orphans.addAll(pendings(in));
            nodes.put(track.node, track);
        }
        pending.addAll(pendings(in));
        for (ArrayDeque<Takeover> list : List.of(masters, leases)) {
            int count = in.count();
            for (int k = 0; k < count; k++) {
                list.add(new Takeover(in.text(), in.text(), in.number()));
            }
        }
        endOfJournals = in.number();
        applied = in.number();
    }

    private static void save(FoldState.Writer out, Open open) throws IOException {
        out.count(open.kind().ordinal());
        out.text(open.instance());
        out.text(open.subject());
        out.count(open.lifetimeSeconds());
        out.number(open.start());
        out.record(open.opening());
    }

    private static Open open(FoldState.Reader in) throws IOException {
        return new Open(in.choice(IntervalKind.values(), "interval kind"), in.text(), in.text(), in.signed(),
                in.number(), in.record());
    }

    private static void save(FoldState.Writer out, List<Pending> list) throws IOException {
        out.count(list.size());
        for (Pending p : list) {
            save(out, p.open());
            out.text(p.node());
            out.number(p.lastSeen());
            out.number(p.latest());
            out.flag(p.restarted());
            out.flag(p.leased());
        }
    }

    private static List<Pending> pendings(FoldState.Reader in) throws IOException {
        int count = in.count();
        List<Pending> list = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
            list.add(new Pending(open(in), in.text(), in.number(), in.number(), in.flag(), in.flag()));
        }
        return list;
    }

    /** The next record in {@link MergedJournals#ORDER}. */
    void apply(EventRecord record) {
        if (++applied % TRIM_EVERY == 0) {
            trimTakeovers();
            if (applied % Cancellation.EVERY == 0) {
                Cancellation.check();
            }
        }
        long t = MergedJournals.timeMicros(record);
        resolvePassed(HybridLogicalClock.physicalMillis(record.hlc()) * 1000);
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
                    takeover(masters, new Takeover(node.node, changed.instance(), t));
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
                    takeover(leases, new Takeover(node.node, acquired.instance(), t));
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
                closed.accept(interval(node.node, orphan.open(), t, t, EndReason.RECORDED, Optional.of(record)));
                it.remove();
            } else if (record.event() instanceof Event.VrrpStateChanged changed
                    && changed.instance().equals(orphan.open().instance())) {
                crashedHolding(orphan);
                it.remove();
            }
        }
    }

    private void crashed(NodeTrack node, long lastSeen, long latest, boolean restarted) {
        for (Map<String, Open> opens : List.of(node.roles, node.leases)) {
            opens.values().forEach(open -> crashedHolding(new Pending(open, node.node, lastSeen, latest, restarted,
                    node.leasedInstances.contains(open.instance()))));
            opens.clear();
        }
        for (Open vip : node.vips.values()) {
            Pending orphan = new Pending(vip, node.node, lastSeen, latest, restarted,
                    node.leasedInstances.contains(vip.instance()));
            if (restarted) {
                node.orphans.add(orphan);
            } else {
                crashedHolding(orphan);
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
            closed.accept(interval(node.node, open, t, t, EndReason.RECORDED, Optional.of(record)));
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
        closed.accept(interval(node.node, vip, earliest, latest, EndReason.EXPIRED, Optional.of(record)));
    }

    /**
     * The journals ended: what is still held is a crash only where evidence says so (see the class comment); every
     * interval not out yet goes out now.
     */
    void finish() {
        for (NodeTrack node : nodes.values()) {
            if (node.last == null) {
                continue;
            }
            long lastSeen = MergedJournals.timeMicros(node.last);
            List<Pending> orphans = List.copyOf(node.orphans);
            node.orphans.clear();
            crashed(node, lastSeen, endOfJournals, false);
            orphans.forEach(this::crashedHolding);
        }
        for (Pending p : pending) {
            closed.accept(resolve(p, Optional.empty()));
        }
        pending.clear();
    }

    /** The time of the last record read: "the end of the journals" once all are read. */
    long endOfJournals() {
        return endOfJournals;
    }

    /** Visits every interval that is not final yet: open, crashed and waiting for a take-over, or left by a crash. */
    void forEachOpen(OpenVisitor visitor) {
        for (NodeTrack node : nodes.values()) {
            for (Map<String, Open> opens : List.of(node.roles, node.leases, node.vips)) {
                for (Open open : opens.values()) {
                    visitor.open(open.kind(), node.node, open.instance(), node.vrids.getOrDefault(open.instance(), 0),
                            open.subject(), open.start());
                }
            }
            for (Pending orphan : node.orphans) {
                visit(visitor, orphan);
            }
        }
        for (Pending p : pending) {
            visit(visitor, p);
        }
    }

    private void visit(OpenVisitor visitor, Pending p) {
        Open open = p.open();
        visitor.open(open.kind(), p.node(), open.instance(), nodes.get(p.node()).vrids.getOrDefault(open.instance(), 0),
                open.subject(), open.start());
    }

    /**
     * A crashed holding: final at once when nothing can bound it earlier than its latest end, or when the take-over
     * that does already came; else it waits for one.
     */
    private void crashedHolding(Pending p) {
        if (p.open().kind() == IntervalKind.VIP && p.open().lifetimeSeconds() == 0 && !p.restarted()) {
            pending.add(p);
            return;
        }
        ArrayDeque<Takeover> candidates = takeoversFor(p);
        if (candidates == null) {
            closed.accept(resolve(p, Optional.empty()));
            return;
        }
        long after = Math.max(p.open().start(), p.lastSeen());
        for (Takeover o : candidates) {
            if (succeeds(o, p, after)) {
                closed.accept(resolve(p, Optional.of(o.time())));
                return;
            }
        }
        pending.add(p);
    }

    /** The take-overs that can bound a crashed holding (null: none can). */
    private ArrayDeque<Takeover> takeoversFor(Pending p) {
        Open open = p.open();
        return switch (open.kind()) {
            case ROLE -> open.subject().equals(RoleInput.MASTER.name()) ? (p.leased() ? leases : masters) : null;
            case LEASE -> leases;
            case VIP -> open.lifetimeSeconds() > 0 ? leases : null;
        };
    }

    private void takeover(ArrayDeque<Takeover> list, Takeover o) {
        list.addLast(o);
        Iterator<Pending> it = pending.iterator();
        while (it.hasNext()) {
            Pending p = it.next();
            if (takeoversFor(p) == list && succeeds(o, p, Math.max(p.open().start(), p.lastSeen()))) {
                closed.accept(resolve(p, Optional.of(o.time())));
                it.remove();
            }
        }
    }

    /**
     * A crashed holding of a restarted process ended by its restart: once every later record's time is past that
     * (the floor of the merge order), no take-over still to come can bound it earlier.
     */
    private void resolvePassed(long floor) {
        if (pending.isEmpty()) {
            return;
        }
        Iterator<Pending> it = pending.iterator();
        while (it.hasNext()) {
            Pending p = it.next();
            if (p.restarted() && floor > p.latest()) {
                closed.accept(resolve(p, Optional.empty()));
                it.remove();
            }
        }
    }

    /** Drops the take-overs no crash can reach back to: none after the oldest last record of a node holding something. */
    private void trimTakeovers() {
        long oldest = Long.MAX_VALUE;
        for (NodeTrack node : nodes.values()) {
            if (node.last != null && !(node.roles.isEmpty() && node.leases.isEmpty() && node.vips.isEmpty())) {
                oldest = Math.min(oldest, MergedJournals.timeMicros(node.last));
            }
            for (Pending orphan : node.orphans) {
                oldest = Math.min(oldest, orphan.lastSeen());
            }
        }
        for (Pending p : pending) {
            oldest = Math.min(oldest, p.lastSeen());
        }
        for (ArrayDeque<Takeover> list : List.of(masters, leases)) {
            while (!list.isEmpty() && list.peekFirst().time() <= oldest) {
                list.removeFirst();
            }
        }
    }

    private Interval resolve(Pending p, Optional<Long> successor) {
        Open open = p.open();
        long lastSeen = Math.max(open.start(), p.lastSeen());
        if (open.kind() == IntervalKind.VIP && open.lifetimeSeconds() == 0 && !p.restarted()) {
            // Without a lifetime the kernel keeps the address of a dead agent until someone removes it.
            return interval(p.node(), open, endOfJournals, endOfJournals, EndReason.OPEN, Optional.empty());
        }
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

    /** Another node's take-over of the same instance or VRID after the crashed node's last record. */
    private boolean succeeds(Takeover o, Pending p, long after) {
        String instance = p.open().instance();
        Integer vrid = nodes.get(p.node()).vrids.get(instance);
        return !o.node().equals(p.node()) && o.time() > after
                && (o.instance().equals(instance) || sameVrid(vrid, nodes.get(o.node()).vrids.get(o.instance())));
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
