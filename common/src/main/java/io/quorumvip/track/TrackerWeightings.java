package io.quorumvip.track;

import io.quorumvip.config.KeepalivedConfig;
import io.quorumvip.config.SyncGroupConfig;
import io.quorumvip.config.TrackedInterface;
import io.quorumvip.config.VrrpInstanceConfig;
import io.quorumvip.config.VrrpScript;
import io.quorumvip.config.VrrpTrackFile;
import io.quorumvip.config.VrrpTrackProcess;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The weight and direction each instance gives each tracker: its own entry's, else the tracker block's; the
 * trackers of its sync group count as its own, and in a group without {@code sync_group_tracking_weight} a weight
 * is dropped to 0 (a failing tracker is a fault, as in keepalived) and its {@code reverse} with it.
 *
 * <p>A tracker in both the instance and its sync group is tracked once, as keepalived 2.2.7 does (vrrp.c,
 * add_vrrp_to_interface, and the same rule for scripts, files and processes): the group's weight and direction
 * replace the instance's, unless the instance's weight is 0, which stays (an unweighted tracker is a FAULT rule,
 * and the group cannot turn it into a weight). That includes the instance's own interface, tracked with weight 0
 * unless {@code dont_track_primary}.
 */
public final class TrackerWeightings {

    private TrackerWeightings() {
    }

    /** The weighting the instance gives a vrrp_script it (or its sync group) tracks, or empty. */
    public static Optional<Weighting> script(KeepalivedConfig config, VrrpInstanceConfig instance, String scriptName) {
        VrrpScript script = config.vrrpScripts().get(scriptName);
        return weighting(config, instance, VrrpInstanceConfig::trackScripts, SyncGroupConfig::trackScripts,
                t -> t.scriptName().equals(scriptName),
                t -> new Weighting(t.effectiveWeight(script), t.effectiveReverse(script)));
    }

    /** The weighting the instance gives a vrrp_track_file it (or its sync group) tracks, or empty. */
    public static Optional<Weighting> trackFile(KeepalivedConfig config, VrrpInstanceConfig instance,
                                                VrrpTrackFile file) {
        return weighting(config, instance, VrrpInstanceConfig::trackFiles, SyncGroupConfig::trackFiles,
                t -> t.fileName().equals(file.name()),
                t -> new Weighting(t.effectiveWeight(file), t.effectiveReverse(file)));
    }

    /** The weighting the instance gives a vrrp_track_process it (or its sync group) tracks, or empty. */
    public static Optional<Weighting> trackProcess(KeepalivedConfig config, VrrpInstanceConfig instance,
                                                   VrrpTrackProcess process) {
        return weighting(config, instance, VrrpInstanceConfig::trackProcesses, SyncGroupConfig::trackProcesses,
                t -> t.processName().equals(process.name()),
                t -> new Weighting(t.effectiveWeight(process), t.effectiveReverse(process)));
    }

    /** The instance's and its group's entries for one tracker, merged. */
    private static <T> Optional<Weighting> weighting(KeepalivedConfig config, VrrpInstanceConfig instance,
                                                     Function<VrrpInstanceConfig, List<T>> ownEntries,
                                                     Function<SyncGroupConfig, List<T>> groupEntries,
                                                     Predicate<T> tracker, Function<T, Weighting> weigh) {
        Optional<SyncGroupConfig> group = config.syncGroupOf(instance.name());
        return merged(group, ownEntries.apply(instance).stream().filter(tracker).findFirst().map(weigh),
                group.flatMap(g -> groupEntries.apply(g).stream().filter(tracker).findFirst().map(weigh)));
    }

    /** Tracked interfaces and their weightings: the instance's own interface (weight 0) unless dont_track_primary. */
    public static Map<String, Weighting> interfaces(KeepalivedConfig config, VrrpInstanceConfig instance) {
        Map<String, Weighting> own = new LinkedHashMap<>();
        if (!instance.dontTrackPrimary()) {
            own.put(instance.interfaceName(), new Weighting(0, false));
        }
        for (TrackedInterface entry : instance.trackInterfaces()) {
            own.put(entry.interfaceName(), new Weighting(entry.weight(), entry.reverse()));
        }
        Optional<SyncGroupConfig> group = config.syncGroupOf(instance.name());
        Map<String, Weighting> groups = new LinkedHashMap<>();
        group.ifPresent(g -> g.trackInterfaces().forEach(entry ->
                groups.put(entry.interfaceName(), new Weighting(entry.weight(), entry.reverse()))));
        Map<String, Weighting> weightings = new LinkedHashMap<>();
        own.forEach((device, weighting) -> weightings.put(device,
                merged(group, Optional.of(weighting), Optional.ofNullable(groups.get(device))).orElseThrow()));
        groups.forEach((device, weighting) -> weightings.computeIfAbsent(device,
                d -> merged(group, Optional.empty(), Optional.of(weighting)).orElseThrow()));
        return weightings;
    }

    /** The instance's entry if it is unweighted, else the group's, else the instance's; then the group's rule. */
    private static Optional<Weighting> merged(Optional<SyncGroupConfig> group, Optional<Weighting> own,
                                              Optional<Weighting> groups) {
        return own.filter(w -> w.weight() == 0).or(() -> groups).or(() -> own)
                .map(w -> group.map(g -> new Weighting(g.memberWeight(w.weight()),
                        g.memberReverse(w.weight(), w.reverse()))).orElse(w));
    }
}
