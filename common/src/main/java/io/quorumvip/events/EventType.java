package io.quorumvip.events;

/** The one-byte type code of each event in the journal format. Codes are never reused. */
public enum EventType {
    AGENT_STARTED((byte) 1),
    AGENT_STOPPED((byte) 2),
    CONFIG_LOADED((byte) 3),
    VRRP_STATE_CHANGED((byte) 4),
    EFFECTIVE_PRIORITY_CHANGED((byte) 5),
    TRACKER_RESULT_CHANGED((byte) 6),
    LEASE_REQUESTED((byte) 7),
    LEASE_ACQUIRED((byte) 8),
    LEASE_CONFIRMATION_LAPSED((byte) 9),
    LEASE_LOST((byte) 10),
    LEASE_RELEASED((byte) 11),
    VIP_BIND_INTENDED((byte) 12),
    VIP_BOUND((byte) 13),
    VIP_RELEASED((byte) 14),
    FAULT_ENTERED((byte) 15),
    FAULT_CLEARED((byte) 16),
    OPERATOR_ACTION((byte) 17),
    MALFORMED_PACKET_BURST((byte) 18),
    NEW_MASTER_SEEN((byte) 19),
    OWNERSHIP_DECIDED((byte) 20),
    CONFIG_RELOADED((byte) 21),
    SYNC_GROUP_STATE_CHANGED((byte) 22),
    ROUTING_CHANGED((byte) 23),
    // Load balancing (codes from 40, apart from the VRRP side's).
    REAL_SERVER_UP((byte) 40),
    REAL_SERVER_DOWN((byte) 41),
    POOL_CHANGED((byte) 42),
    VIRTUAL_SERVER_QUORUM_LOST((byte) 43),
    VIRTUAL_SERVER_QUORUM_GAINED((byte) 44),
    SORRY_SERVER_IN((byte) 45),
    SORRY_SERVER_OUT((byte) 46);

    private static final EventType[] BY_CODE = new EventType[64];

    static {
        for (EventType type : values()) {
            BY_CODE[type.byteValue] = type;
        }
    }

    private final byte byteValue;

    EventType(byte byteValue) {
        this.byteValue = byteValue;
    }

    public byte byteValue() {
        return byteValue;
    }

    public static EventType valueOf(byte value) {
        EventType type = value > 0 && value < BY_CODE.length ? BY_CODE[value] : null;
        if (type == null) {
            throw new IllegalArgumentException("unknown event type code: got " + value + " (expected one of "
                    + java.util.Arrays.stream(values()).map(t -> Byte.toString(t.byteValue)).toList() + ")");
        }
        return type;
    }
}
