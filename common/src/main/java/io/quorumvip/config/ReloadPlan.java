package io.quorumvip.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a re-read configuration changes against the running one, instance by instance. Where something is written
 * (file, line) does not count: moving a block or adding a comment changes nothing. An instance counts as changed
 * when its own block differs, when a vrrp_script it tracks differs, or when its sync group does; anything outside
 * the instances (global_defs, quorum, coordinator, virtual servers) is reported as {@link #othersChanged}.
 *
 * @param othersChanged the blocks other than instances, scripts and sync groups that differ, by keyword
 */
public record ReloadPlan(List<String> added, List<String> removed, List<String> changed, List<String> unchanged,
                         List<String> othersChanged) {

    public ReloadPlan {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
        unchanged = List.copyOf(unchanged);
        othersChanged = List.copyOf(othersChanged);
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
        if (!same(running.globalDefs(), next.globalDefs())) {
            others.add("global_defs");
        }
        if (!same(running.quorum(), next.quorum())) {
            others.add("quorum");
        }
        if (!same(running.coordinator(), next.coordinator())) {
            others.add("coordinator");
        }
        if (!same(running.loadBalancing(), next.loadBalancing())) {
            others.add("virtual_server");
        }
        return new ReloadPlan(added, removed, changed, unchanged, others);
    }

    /** Nothing to apply: every instance and every other block is as it runs. */
    public boolean nothingChanged() {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty() && othersChanged.isEmpty();
    }

    /** The scripts the instance tracks and its sync group, as they are in each configuration. */
    private static boolean sameSurroundings(VrrpInstanceConfig instance, KeepalivedConfig running,
                                            KeepalivedConfig next) {
        for (TrackedScript tracked : instance.trackScripts()) {
            if (!same(running.vrrpScripts().get(tracked.scriptName()), next.vrrpScripts().get(tracked.scriptName()))) {
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
    static boolean same(Object a, Object b) {
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
