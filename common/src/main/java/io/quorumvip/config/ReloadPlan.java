package io.quorumvip.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a re-read configuration changes against the running one, and what the agent does about it. Where something
 * is written (file, line) does not count: moving a block or adding a comment changes nothing. An instance counts as
 * changed when its own block differs, when a vrrp_script, vrrp_track_file or vrrp_track_process it tracks differs,
 * or when its sync group does. A virtual server counts as changed when its block or the virtual_server_group it
 * names differs.
 *
 * <p>What is applied: removed instances stop as at a clean stop, changed ones stop and start again with their new
 * block ({@link #toStop()}, then {@link #toStart()}), added ones start, unchanged ones are not touched. Virtual
 * servers added, removed or changed go to the load balancer. What is refused ({@link #refusals()}), because applying
 * it would touch every instance or the lease under them: a change of global_defs, quorum, coordinator or the static
 * addresses, routes and rules, and any change that reaches a vrrp_sync_group's member (its members change state
 * together, so one cannot restart alone; an instance with {@code use_vmac} added, removed or changed, whose macvlans
 * live as long as the agent). A refused plan applies nothing.
 *
 * @param othersChanged  the blocks other than instances, scripts and sync groups that differ, by keyword
 * @param virtualServers the virtual servers added, removed, changed and unchanged, by name
 * @param refusals       why this plan cannot be applied without a restart, one sentence per reason; empty when it can
 */
public record ReloadPlan(List<String> added, List<String> removed, List<String> changed, List<String> unchanged,
                         List<String> othersChanged, VirtualServers virtualServers, List<String> refusals) {

    /** The virtual servers by name (as {@link VirtualServerConfig#name()} spells them), in the order written. */
    public record VirtualServers(List<String> added, List<String> removed, List<String> changed,
                                 List<String> unchanged) {

        public VirtualServers {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
            changed = List.copyOf(changed);
            unchanged = List.copyOf(unchanged);
        }

        /** Nothing for the load balancer to do. */
        public boolean none() {
            return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
        }
    }

    public ReloadPlan {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
        unchanged = List.copyOf(unchanged);
        othersChanged = List.copyOf(othersChanged);
        refusals = List.copyOf(refusals);
    }

    /** Compares {@code next} with {@code running}; instances in the order written. */
    public static ReloadPlan between(KeepalivedConfig running, KeepalivedConfig next) {
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        for (VrrpInstanceConfig instance : running.vrrpInstances()) {
            Optional<VrrpInstanceConfig> again = next.instance(instance.name());
            if (again.isEmpty()) {
                removed.add(instance.name());
            } else if (same(instance, again.get()) && sameSurroundings(instance, running, next)) {
                unchanged.add(instance.name());
            } else {
                changed.add(instance.name());
            }
        }
        next.vrrpInstances().stream().filter(i -> running.instance(i.name()).isEmpty())
                .forEach(i -> added.add(i.name()));
        List<String> others = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        refuseIfChanged(running.globalDefs(), next.globalDefs(), "global_defs", others, refusals);
        refuseIfChanged(running.quorum(), next.quorum(), "quorum", others, refusals);
        refuseIfChanged(running.coordinator(), next.coordinator(), "coordinator", others, refusals);
        refuseIfChanged(running.staticRouting(), next.staticRouting(),
                "static_ipaddress/static_routes/static_rules", others, refusals);
        VirtualServers virtualServers = virtualServers(running.loadBalancing(), next.loadBalancing());
        if (!virtualServers.none()) {
            others.add("virtual_server");
        }
        for (String name : concat(added, removed, changed)) {
            Optional<SyncGroupConfig> group = running.syncGroupOf(name).or(() -> next.syncGroupOf(name));
            group.ifPresent(g -> refusals.add("vrrp_instance " + name + " (" + (added.contains(name) ? "added"
                    : removed.contains(name) ? "removed" : "changed") + ") is a member of vrrp_sync_group "
                    + g.name() + ", whose members change state together: restart the agent to apply it"));
        }
        for (String name : concat(added, removed, changed)) {
            boolean vmac = running.instance(name).filter(i -> i.useVmac().isPresent()).isPresent()
                    || next.instance(name).filter(i -> i.useVmac().isPresent()).isPresent();
            if (vmac) {
                refusals.add("vrrp_instance " + name + " (" + (added.contains(name) ? "added"
                        : removed.contains(name) ? "removed" : "changed") + ") uses use_vmac: the macvlans and their"
                        + " IGMP filter are made when the agent starts and removed when it stops, all together; "
                        + "restart the agent to apply it");
            }
        }
        return new ReloadPlan(added, removed, changed, unchanged, others, virtualServers, refusals);
    }

    /** Nothing to apply: every instance and every other block is as it runs. */
    public boolean nothingChanged() {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty() && othersChanged.isEmpty();
    }

    /** The instances to stop cleanly, first: the removed and the changed ones, in the running order. */
    public List<String> toStop() {
        return concat(removed, changed);
    }

    /** The instances to start with the new configuration, after {@link #toStop()}: the added and changed ones. */
    public List<String> toStart() {
        return concat(changed, added);
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static List<String> concat(List<String> first, List<String> second, List<String> third) {
        return concat(concat(first, second), third);
    }

    private static void refuseIfChanged(Object running, Object next, String block, List<String> others,
                                        List<String> refusals) {
        if (!same(running, next)) {
            others.add(block);
            refusals.add(block + " changed: it reaches every instance (or the lease under them), so applying it in"
                    + " place is not supported; restart the agent to apply it");
        }
    }

    private static VirtualServers virtualServers(LoadBalancingConfig running, LoadBalancingConfig next) {
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        for (VirtualServerConfig vs : running.virtualServers()) {
            Optional<VirtualServerConfig> again = next.virtualServers().stream()
                    .filter(v -> v.name().equals(vs.name())).findFirst();
            if (again.isEmpty()) {
                removed.add(vs.name());
            } else if (same(vs, again.get()) && sameGroup(vs, running, next)) {
                unchanged.add(vs.name());
            } else {
                changed.add(vs.name());
            }
        }
        next.virtualServers().stream().filter(v -> running.virtualServers().stream()
                .noneMatch(r -> r.name().equals(v.name()))).forEach(v -> added.add(v.name()));
        return new VirtualServers(added, removed, changed, unchanged);
    }

    private static boolean sameGroup(VirtualServerConfig vs, LoadBalancingConfig running, LoadBalancingConfig next) {
        return !(vs.service() instanceof VirtualService.Group group)
                || same(running.groups().get(group.name()), next.groups().get(group.name()));
    }

    /** The scripts, files and processes the instance tracks and its sync group, as they are in each configuration. */
    private static boolean sameSurroundings(VrrpInstanceConfig instance, KeepalivedConfig running,
                                            KeepalivedConfig next) {
        for (TrackedScript tracked : instance.trackScripts()) {
            if (!same(running.vrrpScripts().get(tracked.scriptName()), next.vrrpScripts().get(tracked.scriptName()))) {
                return false;
            }
        }
        for (TrackedFile tracked : instance.trackFiles()) {
            if (!same(running.trackFiles().get(tracked.fileName()), next.trackFiles().get(tracked.fileName()))) {
                return false;
            }
        }
        for (TrackedProcess tracked : instance.trackProcesses()) {
            if (!same(running.trackProcesses().get(tracked.processName()),
                    next.trackProcesses().get(tracked.processName()))) {
                return false;
            }
        }
        Optional<SyncGroupConfig> before = running.syncGroupOf(instance.name());
        Optional<SyncGroupConfig> after = next.syncGroupOf(instance.name());
        if (!same(before, after)) {
            return false;
        }
        return before.stream().flatMap(g -> g.trackScripts().stream()).allMatch(tracked ->
                same(running.vrrpScripts().get(tracked.scriptName()), next.vrrpScripts().get(tracked.scriptName())));
    }

    /** Equality of the configuration model, blind to {@link SourcePosition}s. */
    public static boolean same(Object a, Object b) {
        if (a instanceof SourcePosition && b instanceof SourcePosition) {
            return true;
        }
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof Optional<?> oa && b instanceof Optional<?> ob) {
            return oa.isPresent() == ob.isPresent() && (oa.isEmpty() || same(oa.get(), ob.get()));
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            if (la.size() != lb.size()) {
                return false;
            }
            for (int i = 0; i < la.size(); i++) {
                if (!same(la.get(i), lb.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            return ma.keySet().equals(mb.keySet()) && ma.keySet().stream().allMatch(k -> same(ma.get(k), mb.get(k)));
        }
        if (a.getClass().isRecord() && a.getClass() == b.getClass()) {
            for (RecordComponent component : a.getClass().getRecordComponents()) {
                if (!same(value(component, a), value(component, b))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    private static Object value(RecordComponent component, Object record) {
        try {
            component.getAccessor().setAccessible(true);
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component.getName() + " of " + record.getClass(), e);
        }
    }
}
