package io.quorumvip.events;

/** What kind of input triggered a transition; the subject and value of a {@link Cause} are read in its light. */
public enum CauseKind {
    /** No single input: a consequence of an earlier event in the same step. */
    NONE((byte) 0),
    /** A VRRP advert: subject = sender address, value = advertised priority. */
    ADVERT((byte) 1),
    /** A timer fired: subject = timer name (e.g. master_down, advert). */
    TIMER((byte) 2),
    /** A health tracker changed: subject = tracker name, value = weight applied. */
    HEALTH((byte) 3),
    /** A ZooKeeper watch or connection state: subject = state or node path, value = session id. */
    LEASE_WATCH((byte) 4),
    /** An operator command: subject = the command. */
    OPERATOR((byte) 5),
    /** A configuration (re)load: subject = file path. */
    CONFIG((byte) 6),
    /** Agent start-up. */
    STARTUP((byte) 7),
    /** Agent shut-down: subject = signal or reason. */
    SHUTDOWN((byte) 8),
    /** A link or interface change: subject = interface name. */
    LINK((byte) 9),
    /** Malformed input on the wire: subject = drop reason, value = count. */
    PACKET((byte) 10);

    private final byte byteValue;

    CauseKind(byte byteValue) {
        this.byteValue = byteValue;
    }

    public byte byteValue() {
        return byteValue;
    }

    public static CauseKind valueOf(byte value) {
        for (CauseKind kind : values()) {
            if (kind.byteValue == value) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown cause kind code: got " + value + " (expected 0.." + (values().length - 1) + ")");
    }
}
