package io.quorumvip.agent.net;

import java.util.Arrays;
import java.util.HexFormat;

/** An Ethernet (or other link-layer) address, printed as {@code 02:42:c0:00:02:0b}. */
public record MacAddress(byte[] bytes) {
    public MacAddress {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MacAddress mac && Arrays.equals(bytes, mac.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return HexFormat.ofDelimiter(":").formatHex(bytes);
    }
}
