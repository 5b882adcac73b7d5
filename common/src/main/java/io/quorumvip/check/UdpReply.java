package io.quorumvip.check;

import java.util.HexFormat;
import java.util.Optional;

/**
 * UDP_CHECK's judgement of a reply under {@code require_reply}: the reply must be at least {@code min_reply_length}
 * and at most {@code max_reply_length} bytes (0: no limit) and start with the pattern, whose hex digits are matched
 * nibble by nibble and whose {@code x} matches any nibble.
 */
public final class UdpReply {

    private UdpReply() {
    }

    /** Empty when the reply is acceptable; otherwise why not. */
    public static Optional<String> problem(byte[] reply, Optional<String> pattern, int minLength, int maxLength) {
        if (minLength > 0 && reply.length < minLength) {
            return Optional.of("reply of " + reply.length + " bytes is shorter than min_reply_length " + minLength);
        }
        if (maxLength > 0 && reply.length > maxLength) {
            return Optional.of("reply of " + reply.length + " bytes is longer than max_reply_length " + maxLength);
        }
        if (pattern.isEmpty()) {
            return Optional.empty();
        }
        String expected = pattern.get();
        String got = HexFormat.of().formatHex(reply);
        if (got.length() < expected.length()) {
            return Optional.of("reply " + got + " is shorter than the pattern " + expected);
        }
        for (int i = 0; i < expected.length(); i++) {
            char want = expected.charAt(i);
            if (want != 'x' && want != 'X' && Character.toLowerCase(want) != got.charAt(i)) {
                return Optional.of("reply " + got + " does not match the pattern " + expected);
            }
        }
        return Optional.empty();
    }
}
