package io.quorumvip.track;

import io.quorumvip.config.KeepalivedConfig;
import io.quorumvip.config.SyncGroupConfig;
import io.quorumvip.config.TrackedInterface;
import io.quorumvip.config.TrackedScript;
import io.quorumvip.config.VrrpInstanceConfig;
import io.quorumvip.config.VrrpScript;
import io.quorumvip.config.VrrpTrackFile;
import io.quorumvip.config.VrrpTrackProcess;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The weight and direction each instance gives each tracker: its own entry's, else the tracker block's; the
 * trackers of its sync group count as its own, and in a group without {@code sync_group_tracking_weight} a weight
 * is dropped to 0 (a failing tracker is a fault, as in keepalived) and its {@code reverse} with it.
 */
public final class TrackerWeightings {

    private TrackerWeightings() {
    }

    /** The weighting the instance gives a vrrp_script it (or its sync group) tracks, or empty. */
    public static Optional<Weighting> script(KeepalivedConfig config, VrrpInstanceConfig instance, String scriptName) {
        Optional<SyncGroupConfig> group = config.syncGroupOf(instance.name());
        List<TrackedScript> tracked = new ArrayList<>(instance.trackScripts());
        group.ifPresent(g -> tracked.addAll(g.trackScripts()));
        VrrpScript script = config.vrrpScripts().get(scriptName);
        return tracked.stream().filter(entry -> entry.scriptName().equals(scriptName)).findFirst()
                .map(entry -> member(group, entry.effectiveWeight(script), entry.effectiveReverse(script)));
    }

    /** The weighting the instance gives a vrrp_track_file it tracks, or empty. */
    public static Optional<Weighting> trackFile(VrrpInstanceConfig instance, VrrpTrackFile file) {
        return instance.trackFiles().stream().filter(t -> t.fileName().equals(file.name())).findFirst()
                .map(t -> new Weighting(t.effectiveWeight(file), t.effectiveReverse(file)));
    }

    /** The weighting the instance gives a vrrp_track_process it tracks, or empty. */
    public static Optional<Weighting> trackProcess(VrrpInstanceConfig instance, VrrpTrackProcess process) {
        return instance.trackProcesses().stream().filter(t -> t.processName().equals(process.name())).findFirst()
                .map(t -> new Weighting(t.effectiveWeight(process), t.effectiveReverse(process)));
    }

    /** Tracked interfaces and their weightings: the instance's own interface (weight 0) unless dont_track_primary. */
    public static Map<String, Weighting> interfaces(KeepalivedConfig config, VrrpInstanceConfig instance) {
        Map<String, Weighting> weightings = new LinkedHashMap<>();
        if (!instance.dontTrackPrimary()) {
            weightings.put(instance.interfaceName(), new Weighting(0, false));
        }
        Optional<SyncGroupConfig> group = config.syncGroupOf(instance.name());
        List<TrackedInterface> tracked = new ArrayList<>(instance.trackInterfaces());
        group.ifPresent(g -> tracked.addAll(g.trackInterfaces()));
        for (TrackedInterface entry : tracked) {
            weightings.put(entry.interfaceName(), member(group, entry.weight(), entry.reverse()));
        }
        return weightings;
    }

    private static Weighting member(Optional<SyncGroupConfig> group, int weight, boolean reverse) {
        return group.map(g -> new Weighting(g.memberWeight(weight), g.memberReverse(weight, reverse)))
                .orElse(new Weighting(weight, reverse));
    }
}
