package io.quorumvip.sim;

import java.util.List;

/**
 * The ensemble's answer.
 *
 * @param code           result code
 * @param sessionId      the session (Connect)
 * @param czxid          the node's creation zxid (Create, Exists)
 * @param ephemeralOwner the session that owns the node (Exists)
 * @param children       the latch's node czxids in order (Children)
 */
record ZkReply(Code code, long sessionId, long czxid, long ephemeralOwner, List<Long> children) {

    enum Code { OK, NONODE, SESSION_EXPIRED, CONNECTION_LOSS }

    static final ZkReply CONNECTION_LOSS = new ZkReply(Code.CONNECTION_LOSS, 0, 0, 0, List.of());

    static ZkReply ok() {
        return new ZkReply(Code.OK, 0, 0, 0, List.of());
    }
}
