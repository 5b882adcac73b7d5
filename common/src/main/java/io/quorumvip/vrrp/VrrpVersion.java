package io.quorumvip.vrrp;

/** The VRRP protocol version, the high nibble of the first byte of every VRRP message. */
public enum VrrpVersion {
    /** VRRP version 2, RFC 3768 §5.3.1: IPv4 only, interval in seconds, authentication; keepalived's default. */
    V2((byte) 2),
    /** VRRP version 3, RFC 5798 §5.2.1: IPv4 or IPv6, interval in centiseconds, checksum with pseudo-header. */
    V3((byte) 3);

    private final byte value;

    VrrpVersion(byte value) {
        this.value = value;
    }

    /** The version number as it appears on the wire. */
    public byte byteValue() {
        return value;
    }

    /**
     * @throws IllegalArgumentException when {@code value} is no VRRP version this codec speaks
     */
    public static VrrpVersion valueOf(byte value) {
        return switch (value) {
            case 2 -> V2;
            case 3 -> V3;
            default -> throw new IllegalArgumentException(
                    "VRRP version got " + value + " (expected 2 or 3)");
        };
    }
}
