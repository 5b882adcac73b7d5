package io.quorumvip.agent.http;

/**
 * The quorum lease of one instance. Without a quorum block the lease is never held and epoch is null.
 *
 * @param validForMs how much longer the lease is provably valid, 0 when not held
 */
public record LeaseStatus(boolean held, Long epoch, long validForMs) {

    public static final LeaseStatus NONE = new LeaseStatus(false, null, 0);
}
