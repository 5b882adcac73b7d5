package io.quorumvip.sim;

/**
 * What a simulated ZooKeeper client asks the ensemble. Each instance has its latch, a parent node numbered by the
 * instance; node czxids are unique across latches.
 */
sealed interface ZkRequest {

    /** Opens a connection: {@code sessionId} 0 asks for a new session, any other resumes that one. */
    record Connect(long sessionId, long timeoutNanos) implements ZkRequest {
    }

    record Ping() implements ZkRequest {
    }

    /** An ephemeral sequential latch node; {@code guid} makes a retried create find the node it already made. */
    record Create(int latch, long guid) implements ZkRequest {
    }

    record Delete(long czxid) implements ZkRequest {
    }

    /** Answered only through the ZooKeeper leader, i.e. only while the ensemble has a quorum. */
    record Sync() implements ZkRequest {
    }

    record Exists(long czxid) implements ZkRequest {
    }

    record Children(int latch) implements ZkRequest {
    }
}
