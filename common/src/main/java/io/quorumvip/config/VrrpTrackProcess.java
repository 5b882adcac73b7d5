package io.quorumvip.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A {@code vrrp_track_process}: how many processes of a name run, checked against a quorum.
 *
 * @param process        the process name (or command, with {@code full_command})
 * @param parameters     the parameters written after it
 * @param paramMatch     {@code param_match initial|partial}, as written
 * @param weight         −254..254 (default 1): positive added while the quorum holds, negative subtracted while it
 *                       does not; 0 puts tracking instances in FAULT while it does not
 * @param reverse        {@code weight N reverse}: the weight's direction flipped (with weight 0: FAULT while the
 *                       quorum holds); the default of the instances' track_process entries
 * @param quorum         the fewest matching processes that count as up (default 1)
 * @param quorumMax      the most (absent: no maximum)
 * @param forkDelay      how long a regained quorum must last before it counts
 * @param terminateDelay how long a lost quorum must last before it counts
 * @param fullCommand    match the command line's first word instead of the process name
 */
public record VrrpTrackProcess(String name, String process, List<String> parameters, Optional<String> paramMatch,
                               int weight, boolean reverse, int quorum, OptionalInt quorumMax, Duration forkDelay,
                               Duration terminateDelay, boolean fullCommand, SourcePosition position) {

    public static final int DEFAULT_WEIGHT = 1;
    public static final int MAX_WEIGHT = 254;

    public VrrpTrackProcess {
        parameters = List.copyOf(parameters);
    }
}
