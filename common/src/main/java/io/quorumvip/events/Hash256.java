package io.quorumvip.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/** A SHA-256 value: the link of the journal's hash chain and the fingerprint of a loaded configuration. */
public record Hash256(byte[] bytes) {

    public static final int LENGTH = 32;
    /** The hash the very first record of a journal chains from. */
    public static final Hash256 ZERO = new Hash256(new byte[LENGTH]);

    public Hash256 {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("SHA-256 value has " + bytes.length + " bytes (expected " + LENGTH + ")");
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @JsonCreator
    public static Hash256 fromHex(String hex) {
        if (hex == null || hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException(
                    "SHA-256 hex string: got '" + hex + "' (expected " + 2 * LENGTH + " hex digits)");
        }
        return new Hash256(HexFormat.of().parseHex(hex));
    }

    @JsonValue
    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Hash256 that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
