package io.quorumvip.config;

import java.time.Duration;
import java.util.Optional;

/**
 * A {@code vrrp_script} health check.
 *
 * @param script   the command line as written (quotes removed), run every {@code interval}
 * @param timeout  a run taking longer counts as a failure (defaults to the interval, like keepalived)
 * @param weight   −253..253 added to (positive, while succeeding) or subtracted from (negative, while failing) the
 *                 priority of tracking instances; 0 puts them in FAULT while failing
 * @param reverse  {@code weight N reverse}: the weight's direction flipped (see io.quorumvip.track.TrackerStatus),
 *                 the default of the instances' track_script entries
 * @param rise     successes in a row to count as up
 * @param fall     failures in a row to count as down
 * @param user     {@code user NAME [GROUP]} as written, if set
 */
public record VrrpScript(
        String name,
        String script,
        Duration interval,
        Duration timeout,
        int weight,
        boolean reverse,
        int rise,
        int fall,
        Optional<String> user,
        SourcePosition position) {
}
