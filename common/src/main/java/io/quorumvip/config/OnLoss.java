package io.quorumvip.config;

/** What a node does when it can no longer prove its quorum lease. */
public enum OnLoss {
    /** Drop the VIP: safety before availability (DESIGN.md §3). The only mode. */
    RELEASE
}
