package io.quorumvip.instance;

/** Why a held lease was lost. */
public enum LeaseLossCause {
    /** Curator declared the session lost (no quorum answered within the session timeout) or it expired. */
    SESSION_LOST,
    /** The client is connected on a different session than the one that created the latch node. */
    SESSION_CHANGED,
    /** The latch node no longer exists (deleted by an operator or by ZooKeeper with its session). */
    NODE_DELETED,
    /** The latch node exists but belongs to another session. */
    OWNER_CHANGED,
    /** The latch recipe says this node is no longer the leader while the session lives. */
    LEADERSHIP_LOST
}
