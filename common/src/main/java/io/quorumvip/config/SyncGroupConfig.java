package io.quorumvip.config;

import java.util.List;
import java.util.Objects;

/**
 * A {@code vrrp_sync_group}: instances that change state together (one goes BACKUP or FAULT, all do), with the
 * group's own notify scripts and trackers. Its trackers apply to every member.
 *
 * @param members        the member instances, each defined and in no other group, in the order written
 * @param trackScripts   the group's {@code track_script}s, tracked by every member
 * @param trackInterfaces the group's {@code track_interface}s, tracked by every member
 * @param trackFiles     the group's {@code track_file}s (defined {@code vrrp_track_file}s), tracked by every member
 * @param trackProcesses the group's {@code track_process}es (defined {@code vrrp_track_process}es), tracked by
 *                       every member
 * @param trackingWeight {@code sync_group_tracking_weight} (or the older {@code global_tracking}): the members keep
 *                       their tracking weights; without it a member's weighted tracker puts it in FAULT instead, as
 *                       keepalived does (a weight could move one member and not the others)
 */
public record SyncGroupConfig(String name, SourcePosition position, List<String> members, NotifyScripts notifyScripts,
                              List<TrackedScript> trackScripts, List<TrackedInterface> trackInterfaces,
                              List<TrackedFile> trackFiles, List<TrackedProcess> trackProcesses,
                              boolean trackingWeight) {

    public SyncGroupConfig {
        Objects.requireNonNull(name, "name");
        members = List.copyOf(members);
        trackScripts = List.copyOf(trackScripts);
        trackInterfaces = List.copyOf(trackInterfaces);
        trackFiles = List.copyOf(trackFiles);
        trackProcesses = List.copyOf(trackProcesses);
    }

    /** The weight a member applies to a tracker configured with {@code weight}. */
    public int memberWeight(int weight) {
        return trackingWeight ? weight : 0;
    }

    /**
     * The direction a member applies to a tracker configured with {@code weight} and {@code reverse}: kept while the
     * weight is kept (or was 0: {@code weight 0 reverse} is a FAULT rule, not a weight), dropped with a dropped
     * weight, so a weighted reverse tracker does not turn into "FAULT while healthy".
     */
    public boolean memberReverse(int weight, boolean reverse) {
        return reverse && (trackingWeight || weight == 0);
    }
}
