package io.quorumvip.config;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Reads configuration bytes the way keepalived does: byte by byte, lines split at {@code \n}, nothing refused.
 * keepalived is C and never decodes; a comment may hold Latin-1 or any other bytes. We decode UTF-8, and each byte
 * that is not part of valid UTF-8 becomes a lone low surrogate U+DC80..U+DCFF (the "surrogate escape" trick): a
 * valid UTF-8 decoding never yields one, so the lexer can tell exactly where a raw byte sits and refuse it only
 * where it matters, outside comments.
 */
final class ConfigText {

    private static final char ESCAPE_BASE = 0xDC00;

    private ConfigText() {
    }

    /** The lines of a file's bytes; a {@code \r} before the {@code \n} (a Windows file) is dropped. */
    static List<String> lines(byte[] bytes) {
        String text = decode(bytes);
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            int stop = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
            lines.add(text.substring(start, stop));
            start = end + 1;
        }
        return lines;
    }

    private static String decode(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                escape(in, out, result.length());
            } else if (in.hasRemaining()) {
                escape(in, out, 1);
            } else {
                break;
            }
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    private static void escape(ByteBuffer in, CharBuffer out, int count) {
        for (int i = 0; i < count; i++) {
            out.put((char) (ESCAPE_BASE + (in.get() & 0xFF)));
        }
    }

    /** The index of the first raw (non-UTF-8) byte in the text, if any. */
    static OptionalInt firstRawByte(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isRawByte(text, i)) {
                return OptionalInt.of(i);
            }
        }
        return OptionalInt.empty();
    }

    /** The byte value of the raw byte at that index. */
    static int rawByte(String text, int index) {
        return text.charAt(index) - ESCAPE_BASE;
    }

    private static boolean isRawByte(String text, int i) {
        char c = text.charAt(i);
        return c >= ESCAPE_BASE + 0x80 && c <= ESCAPE_BASE + 0xFF
                && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
    }
}
