package io.quorumvip.forensics;

/** How an {@link Interval} ended, and so how sure its end is. */
public enum EndReason {
    /** A journaled event ended it (role change, lease released or lost, address released, graceful stop). */
    RECORDED,
    /** The process crashed and a new one started: it ended between the last record before and the restart. */
    RESTARTED,
    /** The node's journal ends (a crash) and another node took over: it ended between its last record and then. */
    TAKEN_OVER,
    /**
     * The node's journal ends (a crash, or a journal copied while running); the address had a kernel lifetime,
     * so it was gone by the last renewal (at the latest when another node took over) plus the lifetime.
     */
    CLOSED_BY_LIFETIME,
    /**
     * The kernel removed the address by itself when its lifetime ran out, while the agent was frozen or slow; the
     * agent journaled the release later, with the lifetime's end: it ended between that end and the kernel's
     * removal slack after it (at the latest by the release record).
     */
    EXPIRED,
    /** The node's journal ends and nothing bounds the end: open until the end of the journals. */
    OPEN
}
