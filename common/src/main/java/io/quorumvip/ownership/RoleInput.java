package io.quorumvip.ownership;

/**
 * The VRRP role as the ownership rule and the journal see it. The agent maps its state machine's state onto this
 * enum, so the journal format does not depend on the state machine's own types.
 */
public enum RoleInput {
    /** RFC 5798 §6.4.1: not yet started. */
    INITIALIZE((byte) 0),
    /** RFC 5798 §6.4.2: listening for the master's adverts. */
    BACKUP((byte) 1),
    /** RFC 5798 §6.4.3: won the election, sends adverts. */
    MASTER((byte) 2),
    /** keepalived's FAULT: a tracked interface or script failed, the instance stands down. */
    FAULT((byte) 3);

    private final byte byteValue;

    RoleInput(byte byteValue) {
        this.byteValue = byteValue;
    }

    public byte byteValue() {
        return byteValue;
    }

    public static RoleInput valueOf(byte value) {
        for (RoleInput role : values()) {
            if (role.byteValue == value) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown VRRP role code: got " + value + " (expected 0..3)");
    }
}
