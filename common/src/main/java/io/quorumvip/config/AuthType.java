package io.quorumvip.config;

/** {@code auth_type}: RFC 2338 simple text password, or IPsec AH. */
public enum AuthType {
    PASS,
    AH
}
