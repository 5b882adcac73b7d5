package io.quorumvip.forensics;

import java.util.Objects;

/**
 * One link of an incident's chain of causes: a journaled event, where and when it happened, in words.
 *
 * @param node        the node that journaled it
 * @param seq         its sequence number in that node's journal
 * @param timeMicros  its time on that node's clock (µs since 1970)
 * @param hlc         its hybrid logical clock stamp (the merge order)
 * @param text        what happened and why, e.g. {@code BACKUP → MASTER (TIMER master_down after 192.0.2.11)}
 */
public record CauseStep(String node, long seq, long timeMicros, long hlc, String text) {

    public CauseStep {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(text, "text");
    }
}
