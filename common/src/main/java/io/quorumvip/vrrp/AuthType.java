package io.quorumvip.vrrp;

/**
 * The VRRP version 2 Auth Type field (RFC 2338 §5.3.6, kept for compatibility by RFC 3768 §5.3.6). Version 3 has no
 * authentication. keepalived writes {@code authentication { auth_type PASS }} as {@link #SIMPLE_TEXT}.
 */
public enum AuthType {
    /** No authentication; the 8 authentication bytes are zero on send and ignored on receipt. */
    NONE((byte) 0),
    /** A clear-text password of up to 8 bytes, padded with zeros (keepalived {@code auth_type PASS}). */
    SIMPLE_TEXT((byte) 1),
    /** IPsec AH (keepalived {@code auth_type AH}): the advert travels as IP protocol 51; not supported here. */
    IP_AH((byte) 2);

    private final byte value;

    AuthType(byte value) {
        this.value = value;
    }

    /** The Auth Type as it appears on the wire. */
    public byte byteValue() {
        return value;
    }

    /**
     * @throws IllegalArgumentException when {@code value} is not an auth type defined by RFC 2338
     */
    public static AuthType valueOf(byte value) {
        return switch (value) {
            case 0 -> NONE;
            case 1 -> SIMPLE_TEXT;
            case 2 -> IP_AH;
            default -> throw new IllegalArgumentException(
                    "VRRP auth type got " + value + " (expected 0 NONE, 1 SIMPLE_TEXT or 2 IP_AH)");
        };
    }
}
