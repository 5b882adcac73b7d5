package io.quorumvip.check;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * An HTTP/1.x answer to HTTP_GET or SSL_GET, read as its bytes come: its status code, where it ends (Content-Length,
 * the chunked transfer coding, or the close of the connection) and its body, kept only when a {@code digest} or
 * {@code regex} reads it. Netty's decoder and aggregator made a headers map, a string per header, a response object
 * and a composite buffer per answer, none of which a status check reads: at 10,000 probes a second that garbage
 * filled the young generation every second or so, and each collection held up every check on the loop. Here the
 * headers other than the two that frame the body are skipped (a scan for the line's end and one copy), without a
 * string.
 *
 * <p>Bytes after the end of the answer are ignored. One instance per answer; not thread-safe.
 */
public final class HttpAnswer {

    /** The most bytes of status line and headers taken together: a longer head is a bad answer. */
    public static final int MAX_HEAD_BYTES = 16 << 10;

    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER_ENCODING = "transfer-encoding".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NO_BODY = new byte[0];
    private static final int COPY_BYTES = 4 << 10;

    private enum State { STATUS, HEADERS, BODY_LENGTH, BODY_UNTIL_CLOSE, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS,
        DONE, FAILED }

    private final boolean keepBody;
    private final int maxBodyBytes;
    private State state = State.STATUS;
    private byte[] line = new byte[64];
    private int lineLength;
    private int headBytes;
    private int status = -1;
    private long contentLength = -1;
    private boolean chunked;
    private long remaining;
    private byte[] body = NO_BODY;
    private int bodyLength;
    private String error;
    /** A direct buffer's bytes on the heap; made on the first such read. */
    private byte[] copied;

    /**
     * @param keepBody     whether the body is kept for {@link #body()} (a digest or regex reads it)
     * @param maxBodyBytes the longest body kept; a longer one is a bad answer
     */
    public HttpAnswer(boolean keepBody, int maxBodyBytes) {
        this.keepBody = keepBody;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Reads the bytes from the buffer's position to its limit (and moves its position there). A direct buffer's bytes
     * are copied to the heap first, in one bulk copy per part: read one by one through the buffer, a byte cost a call
     * under C1, which the agent runs.
     */
    public void read(ByteBuffer bytes) {
        if (bytes.hasArray()) {
            read(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.arrayOffset() + bytes.limit());
        } else {
            while (bytes.hasRemaining() && !done()) {
                if (copied == null) {
                    copied = new byte[COPY_BYTES];
                }
                int n = Math.min(COPY_BYTES, bytes.remaining());
                bytes.get(copied, 0, n);
                read(copied, 0, n);
            }
        }
        bytes.position(bytes.limit());
    }

    /** Reads {@code bytes[from]} up to {@code bytes[to]} (excluded). */
    public void read(byte[] bytes, int from, int to) {
        int at = from;
        while (at < to && state != State.DONE && state != State.FAILED) {
            switch (state) {
                case BODY_LENGTH, CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, to - at);
                    remaining -= n;
                    take(bytes, at, n);
                    at += n;
                    if (remaining == 0 && state != State.FAILED) {
                        state = state == State.BODY_LENGTH ? State.DONE : State.CHUNK_END;
                    }
                }
                case BODY_UNTIL_CLOSE -> {
                    take(bytes, at, to - at);
                    at = to;
                }
                default -> {
                    int end = lineEnd(bytes, at, to);
                    if (readLine(bytes, at, end, end < to)) {
                        onLine();
                    }
                    at = end < to ? end + 1 : to;
                }
            }
        }
    }

    /** The connection closed: it ends an answer framed by the close, and fails any other not yet whole. */
    public void closed() {
        if (state == State.BODY_UNTIL_CLOSE) {
            state = State.DONE;
        } else if (state != State.DONE && state != State.FAILED) {
            fail("connection closed before a whole answer");
        }
    }

    /** The answer is whole or bad: nothing more is read. */
    public boolean done() {
        return state == State.DONE || state == State.FAILED;
    }

    /** The answer came whole; {@link #status()} and {@link #body()} hold it. */
    public boolean complete() {
        return state == State.DONE;
    }

    /** Why the answer is bad (or not whole at the close); empty while it is not, or once it came whole. */
    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    /** The status code; -1 before the status line came. */
    public int status() {
        return status;
    }

    /** The body as kept (empty when it is not kept), without its transfer coding. */
    public byte[] body() {
        return bodyLength == body.length ? body : Arrays.copyOf(body, bodyLength);
    }

    private void take(byte[] bytes, int from, int n) {
        if (!keepBody) {
            return;
        }
        if ((long) bodyLength + n > maxBodyBytes) {
            fail("bad answer: a body over " + maxBodyBytes + " bytes");
            return;
        }
        if (bodyLength + n > body.length) {
            body = Arrays.copyOf(body, Math.min(maxBodyBytes, Math.max(bodyLength + n, 2 * body.length)));
        }
        System.arraycopy(bytes, from, body, bodyLength, n);
        bodyLength += n;
    }

    /** Where the line's LF is, or {@code to} when it is not among these bytes. */
    private static int lineEnd(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return to;
    }

    /**
     * Adds {@code bytes[from]} up to {@code bytes[to]} to the current line; true when {@code lf} says the line's LF
     * comes next (the line is then without its CR and LF). The head's bytes count their LF; a line outside the head
     * (a chunk's size or its end) is bounded alone.
     */
    private boolean readLine(byte[] bytes, int from, int to, boolean lf) {
        int n = to - from;
        if (state == State.STATUS || state == State.HEADERS || state == State.TRAILERS) {
            headBytes += n + (lf ? 1 : 0);
            if (headBytes > MAX_HEAD_BYTES) {
                fail("bad answer: a head over " + MAX_HEAD_BYTES + " bytes");
                return false;
            }
        }
        if (lineLength + n > line.length) {
            if (lineLength + n > MAX_HEAD_BYTES) {
                fail("bad answer: a line over " + MAX_HEAD_BYTES + " bytes");
                return false;
            }
            line = Arrays.copyOf(line, Math.min(MAX_HEAD_BYTES, Math.max(lineLength + n, 2 * line.length)));
        }
        System.arraycopy(bytes, from, line, lineLength, n);
        lineLength += n;
        if (lf && lineLength > 0 && line[lineLength - 1] == '\r') {
            lineLength--;
        }
        return lf;
    }

    private void onLine() {
        int length = lineLength;
        lineLength = 0;
        switch (state) {
            case STATUS -> {
                // Empty lines before the status line are skipped, as robust clients do (RFC 9112, 2.2).
                if (length > 0) {
                    status(length);
                }
            }
            case HEADERS -> {
                if (length == 0) {
                    endOfHead();
                } else {
                    header(length);
                }
            }
            case CHUNK_SIZE -> chunkSize(length);
            case CHUNK_END -> {
                if (length == 0) {
                    state = State.CHUNK_SIZE;
                } else {
                    fail("bad answer: a chunk longer than its size");
                }
            }
            case TRAILERS -> {
                if (length == 0) {
                    state = State.DONE;
                }
            }
            default -> throw new IllegalStateException("no line is read in state " + state);
        }
    }

    /** "HTTP/x.y NNN reason": the reason is optional. */
    private void status(int length) {
        int space = indexOf((byte) ' ', 0, length);
        boolean ok = length >= 12 && startsWith("HTTP/") && space > 5 && space + 4 <= length
                && (space + 4 == length || line[space + 4] == ' ');
        int code = 0;
        for (int i = space + 1; ok && i < space + 4; i++) {
            ok = line[i] >= '0' && line[i] <= '9';
            code = code * 10 + line[i] - '0';
        }
        if (!ok) {
            fail("bad answer: status line '" + printable(length) + "'");
            return;
        }
        status = code;
        state = State.HEADERS;
    }

    private void header(int length) {
        int colon = indexOf((byte) ':', 0, length);
        if (colon <= 0) {
            fail("bad answer: header line '" + printable(length) + "'");
            return;
        }
        int end = colon;
        while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
            end--;
        }
        if (nameIs(CONTENT_LENGTH, end)) {
            // Parsed in place: the value's string is made only for the error that quotes it.
            int from = colon + 1;
            int to = length;
            while (from < to && (line[from] & 0xff) <= ' ') {
                from++;
            }
            while (to > from && (line[to - 1] & 0xff) <= ' ') {
                to--;
            }
            long parsed = from == to || to - from > 18 ? -1 : 0;
            for (int i = from; i < to && parsed >= 0; i++) {
                byte c = line[i];
                parsed = c >= '0' && c <= '9' ? parsed * 10 + c - '0' : -1;
            }
            if (parsed < 0 || (contentLength >= 0 && contentLength != parsed)) {
                fail("bad answer: Content-Length '" + value(colon, length) + "'");
                return;
            }
            contentLength = parsed;
        } else if (nameIs(TRANSFER_ENCODING, end)) {
            String value = value(colon, length);
            String last = value.substring(value.lastIndexOf(',') + 1).trim();
            chunked = last.equalsIgnoreCase("chunked");
        }
    }

    /** No body after 1xx, 204 and 304 (RFC 9112, 6.3); the chunked coding wins over a Content-Length. */
    private void endOfHead() {
        if (status / 100 == 1 || status == 204 || status == 304) {
            state = State.DONE;
        } else if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (contentLength >= 0) {
            remaining = contentLength;
            state = contentLength == 0 ? State.DONE : State.BODY_LENGTH;
        } else {
            state = State.BODY_UNTIL_CLOSE;
        }
    }

    /** A chunk's size in hex, before any extension (";name=value"); 0 is the last chunk, then trailers. */
    private void chunkSize(int length) {
        int end = indexOf((byte) ';', 0, length);
        long size = 0;
        int digits = 0;
        for (int i = 0; i < (end < 0 ? length : end); i++) {
            int digit = Character.digit(line[i], 16);
            if (digit < 0) {
                if (line[i] == ' ' || line[i] == '\t') {
                    continue;
                }
                digits = -1;
                break;
            }
            size = size * 16 + digit;
            if (++digits > 15) {
                break;
            }
        }
        if (digits <= 0 || digits > 15) {
            fail("bad answer: chunk size '" + printable(length) + "'");
            return;
        }
        remaining = size;
        state = size == 0 ? State.TRAILERS : State.CHUNK_DATA;
    }

    private void fail(String why) {
        error = why;
        state = State.FAILED;
    }

    private boolean startsWith(String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            if (line[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean nameIs(byte[] lowerCase, int end) {
        if (end != lowerCase.length) {
            return false;
        }
        for (int i = 0; i < end; i++) {
            int b = line[i];
            if ((b >= 'A' && b <= 'Z' ? b + 32 : b) != lowerCase[i]) {
                return false;
            }
        }
        return true;
    }

    private String value(int colon, int length) {
        return new String(line, colon + 1, length - colon - 1, StandardCharsets.ISO_8859_1).trim();
    }

    private int indexOf(byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (line[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** The line for an error message: at most 64 characters, control bytes as '?'. */
    private String printable(int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(length, 64); i++) {
            out.append(line[i] >= 0x20 && line[i] < 0x7f ? (char) line[i] : '?');
        }
        return out.append(length > 64 ? "…" : "").toString();
    }
}
