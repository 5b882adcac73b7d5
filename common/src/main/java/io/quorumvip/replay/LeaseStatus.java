package io.quorumvip.replay;

/** The last lease event of an instance, as replay knows it. Only HELD means the node held a provable lease. */
public enum LeaseStatus {
    NONE,
    REQUESTED,
    HELD,
    LAPSED,
    LOST,
    RELEASED
}
