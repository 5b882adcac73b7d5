package io.quorumvip.config;

/**
 * An instance's {@code authentication} block (VRRPv2 only).
 *
 * @param password the password as it goes on the wire: at most 8 characters, as keepalived truncates it
 */
public record Authentication(AuthType type, String password) {

    public static final int MAX_PASSWORD_LENGTH = 8;
}
