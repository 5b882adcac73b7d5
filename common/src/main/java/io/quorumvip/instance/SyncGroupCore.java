package io.quorumvip.instance;

import io.quorumvip.vrrp.VrrpState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * One vrrp_sync_group over the cores of its members: it never steps them, it says what to feed them. The driver
 * hands it each member's {@link InstanceCore.MemberView} after every step of that member, then asks {@link #next}
 * for one output at a time, feeding it before asking again, so no output is computed from a view older than the
 * last step. Pure: time is passed in.
 *
 * <p>The rules, keepalived's (vrrp_sync.c) plus the lease:
 * <ul>
 *   <li>A member in FAULT of its own puts every other member in FAULT; they leave it when no member has one.</li>
 *   <li>A member that leaves MASTER for BACKUP makes every other MASTER leave too (priority-0 advert).</li>
 *   <li>A BACKUP member becomes MASTER only once every other member is MASTER or wants to be
 *       ({@link InstanceInput.GroupHold}), so the members become MASTER together instead of flapping.</li>
 *   <li>own_group(now) = ∧ over the members of (MASTER ∧ (no lease ∨ lease held ∧ now &lt; validUntil)): each
 *       member is told whether all the others hold, and the earliest of their validUntil
 *       ({@link InstanceInput.GroupGate}); it owns only with its own decision and that, and its addresses' kernel
 *       lifetime ends by the smallest validUntil of the group.</li>
 * </ul>
 */
public final class SyncGroupCore {

    /** What the driver does next. */
    public sealed interface Output {
    }

    /** Feed {@code input} to the member named {@code member} (then hand its view back). */
    public record Feed(String member, InstanceInput input) implements Output {
        public Feed {
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(input, "input");
        }
    }

    /**
     * The group as a whole entered {@code state} (MASTER, BACKUP, FAULT) from {@code from} (empty the first time),
     * because its member {@code member} entered {@code memberState}: the member change that made the group's state
     * this one (the first FAULT, the first to leave MASTER, the last to become MASTER), not the members the group
     * then took along. Journal it and run the group's notify scripts.
     */
    public record Notify(String state, String from, String member, VrrpState memberState) implements Output {
        public Notify {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(memberState, "memberState");
        }
    }

    /** What was last told to one member. */
    private static final class Told {
        boolean fault;
        boolean hold;
        InstanceInput.GroupGate gate;
    }

    private final String name;
    private final boolean leased;
    private final Map<String, InstanceCore.MemberView> views = new LinkedHashMap<>();
    private final Map<String, Told> told = new LinkedHashMap<>();
    private final Map<String, VrrpState> lastStates = new LinkedHashMap<>();
    private String groupState;
    private String computedState;
    private String causeMember;
    private VrrpState causeState;

    /**
     * @param members the member instances' names, in the order written
     * @param leased  whether the members own with a lease (a {@code quorum} block)
     */
    public SyncGroupCore(String name, List<String> members, boolean leased) {
        this.name = Objects.requireNonNull(name, "name");
        this.leased = leased;
        for (String member : members) {
            views.put(member, new InstanceCore.MemberView(VrrpState.INITIALIZE, false, false, false, 0));
            told.put(member, new Told());
            lastStates.put(member, VrrpState.INITIALIZE);
        }
    }

    public String name() {
        return name;
    }

    public List<String> members() {
        return List.copyOf(views.keySet());
    }

    /**
     * What each member must be fed before its {@link InstanceInput.Start}: its gate closed and held, so no member
     * owns or becomes MASTER by itself before the group has seen the others.
     */
    public List<Feed> beforeStart() {
        return views.keySet().stream().flatMap(member -> {
            Told t = told.get(member);
            t.hold = true;
            t.gate = new InstanceInput.GroupGate(false, OptionalLong.empty());
            return Stream.of(new Feed(member, t.gate), new Feed(member, new InstanceInput.GroupHold(true)));
        }).toList();
    }

    /** A member was stepped: this is how it stands now. A member that left MASTER for BACKUP takes the others. */
    public List<Feed> observed(String member, InstanceCore.MemberView view) {
        if (!views.containsKey(member)) {
            throw new IllegalArgumentException("sync group " + name + " has no member " + member);
        }
        views.put(member, view);
        VrrpState before = lastStates.put(member, view.state());
        String computed = groupState();
        if (computed != null && !computed.equals(computedState)) {
            computedState = computed;
            causeMember = member;
            causeState = view.state();
        }
        if (before == VrrpState.MASTER && view.state() == VrrpState.BACKUP) {
            return views.entrySet().stream()
                    .filter(e -> !e.getKey().equals(member) && e.getValue().state() == VrrpState.MASTER)
                    .map(e -> new Feed(e.getKey(), new InstanceInput.GroupBackup("sync group " + name + ": "
                            + member + " went BACKUP")))
                    .toList();
        }
        return List.of();
    }

    /** The next thing to do at {@code nowNanos}, computed from the latest views; empty when all is told. */
    public Optional<Output> next(long nowNanos) {
        for (String member : views.keySet()) {
            Told t = told.get(member);
            boolean fault = othersMatch(member, InstanceCore.MemberView::faultOfItsOwn);
            if (fault != t.fault) {
                t.fault = fault;
                return Optional.of(new Feed(member, new InstanceInput.GroupFault("sync group " + name, fault)));
            }
            boolean hold = othersMatch(member, v -> v.state() != VrrpState.MASTER && !v.wantsMaster());
            if (hold != t.hold) {
                t.hold = hold;
                return Optional.of(new Feed(member, new InstanceInput.GroupHold(hold)));
            }
            InstanceInput.GroupGate gate = gate(member, nowNanos);
            if (!gate.equals(t.gate)) {
                t.gate = gate;
                return Optional.of(new Feed(member, gate));
            }
        }
        String state = groupState();
        if (state != null && !state.equals(groupState)) {
            String from = groupState == null ? "" : groupState;
            groupState = state;
            // The views change only in observed(), which computed this same state and noted its cause.
            return Optional.of(new Notify(state, from, causeMember, causeState));
        }
        return Optional.empty();
    }

    /** The group's state as keepalived reports it: FAULT if any member is, MASTER if all are, else BACKUP. */
    public Optional<String> state() {
        return Optional.ofNullable(groupState);
    }

    private String groupState() {
        if (views.values().stream().anyMatch(v -> v.state() == VrrpState.FAULT)) {
            return "FAULT";
        }
        if (views.values().stream().allMatch(v -> v.state() == VrrpState.MASTER)) {
            return "MASTER";
        }
        if (views.values().stream().noneMatch(v -> v.state() == VrrpState.INITIALIZE)) {
            return "BACKUP";
        }
        return null;
    }

    /** Open when every other member is MASTER and, with a lease, holds it provably at {@code now}. */
    private InstanceInput.GroupGate gate(String member, long now) {
        boolean open = true;
        long earliest = 0;
        boolean any = false;
        for (Map.Entry<String, InstanceCore.MemberView> e : views.entrySet()) {
            if (e.getKey().equals(member)) {
                continue;
            }
            InstanceCore.MemberView v = e.getValue();
            if (v.state() != VrrpState.MASTER) {
                open = false;
            } else if (leased) {
                if (!v.leaseHeld() || now - v.validUntilNanos() >= 0) {
                    open = false;
                } else if (!any || v.validUntilNanos() - earliest < 0) {
                    earliest = v.validUntilNanos();
                    any = true;
                }
            }
        }
        return new InstanceInput.GroupGate(open, open && any ? OptionalLong.of(earliest) : OptionalLong.empty());
    }

    private boolean othersMatch(String member, Predicate<InstanceCore.MemberView> test) {
        return views.entrySet().stream().anyMatch(e -> !e.getKey().equals(member) && test.test(e.getValue()));
    }
}
