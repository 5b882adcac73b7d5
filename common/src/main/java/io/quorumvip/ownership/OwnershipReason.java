package io.quorumvip.ownership;

/** Why the ownership rule decided as it did; one value per branch of {@link OwnershipRule#decide}. */
public enum OwnershipReason {
    /** The instance is in FAULT (role or fault flag): never own. */
    FAULT((byte) 0, false),
    /** VRRP is not MASTER for this instance. */
    NOT_MASTER((byte) 1, false),
    /** A quorum is configured but this node holds no lease. */
    NO_LEASE((byte) 2, false),
    /** A lease is held but it can no longer be proven valid at the decision time. */
    LEASE_EXPIRED((byte) 3, false),
    /** MASTER with a lease provably valid at the decision time. */
    OWN((byte) 4, true),
    /** MASTER and no quorum block in the configuration: plain keepalived behaviour. */
    OWN_WITHOUT_QUORUM((byte) 5, true);

    private final byte byteValue;
    private final boolean own;

    OwnershipReason(byte byteValue, boolean own) {
        this.byteValue = byteValue;
        this.own = own;
    }

    public byte byteValue() {
        return byteValue;
    }

    /** Whether a decision with this reason grants the VIP. */
    public boolean own() {
        return own;
    }

    public static OwnershipReason valueOf(byte value) {
        for (OwnershipReason reason : values()) {
            if (reason.byteValue == value) {
                return reason;
            }
        }
        throw new IllegalArgumentException("unknown ownership reason code: got " + value + " (expected 0..5)");
    }
}
