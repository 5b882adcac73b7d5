package io.quorumvip.track;

import java.util.List;

/**
 * keepalived's effective priority: the configured priority plus the weights of the trackers, kept inside 1..254 so a
 * tracker can neither make a node the address owner nor make it advertise "I am leaving" (priority 0). The address
 * owner (priority 255) is never adjusted, as in keepalived.
 */
public final class EffectivePriority {

    public static final int ADDRESS_OWNER = 255;

    private EffectivePriority() {
    }

    /** The outcome: the priority to advertise and the trackers that put the instance in FAULT (empty when none). */
    public record Result(int priority, List<String> faultingTrackers) {
        public Result {
            faultingTrackers = List.copyOf(faultingTrackers);
        }

        public boolean fault() {
            return !faultingTrackers.isEmpty();
        }
    }

    public static Result compute(int basePriority, List<TrackerStatus> trackers) {
        List<String> faulting = trackers.stream().filter(TrackerStatus::faults).map(TrackerStatus::name).toList();
        if (basePriority == ADDRESS_OWNER) {
            return new Result(ADDRESS_OWNER, faulting);
        }
        int sum = basePriority;
        for (TrackerStatus tracker : trackers) {
            sum += tracker.contribution();
        }
        return new Result(Math.max(1, Math.min(254, sum)), faulting);
    }
}
