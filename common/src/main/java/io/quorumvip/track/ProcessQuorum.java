package io.quorumvip.track;

/**
 * The verdict of a {@code vrrp_track_process}: up while between {@code quorum} and {@code quorum_max} matching
 * processes run. A change of the count only changes the verdict once it has lasted {@code fork_delay} (going up) or
 * {@code terminate_delay} (going down), so a process that restarts does not bounce the instance, as in keepalived.
 *
 * @param up            the current verdict
 * @param pendingSince  when the count started to disagree with the verdict (monotonic nanoseconds), or -1
 */
public record ProcessQuorum(boolean up, long pendingSince) {

    /** No maximum ({@code quorum_max} not set). */
    public static final int NO_MAXIMUM = -1;

    /** The verdict at start: the count as it is, no delay (keepalived reads /proc once at start-up). */
    public static ProcessQuorum initial(int count, int quorum, int quorumMax) {
        return new ProcessQuorum(satisfied(count, quorum, quorumMax), -1);
    }

    public static boolean satisfied(int count, int quorum, int quorumMax) {
        return count >= quorum && (quorumMax == NO_MAXIMUM || count <= quorumMax);
    }

    /** The verdict after counting {@code count} matching processes at {@code now}. */
    public ProcessQuorum next(int count, int quorum, int quorumMax, long forkDelayNanos, long terminateDelayNanos,
                              long now) {
        boolean satisfied = satisfied(count, quorum, quorumMax);
        if (satisfied == up) {
            return pendingSince < 0 ? this : new ProcessQuorum(up, -1);
        }
        long since = pendingSince < 0 ? now : pendingSince;
        long delay = satisfied ? forkDelayNanos : terminateDelayNanos;
        return now - since >= delay ? new ProcessQuorum(satisfied, -1) : new ProcessQuorum(up, since);
    }
}
