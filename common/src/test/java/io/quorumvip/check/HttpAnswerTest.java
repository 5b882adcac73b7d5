package io.quorumvip.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class HttpAnswerTest {

    private static final List<String> WHOLE = List.of(
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;ext=1\r\nhe\r\n3\r\nllo\r\n0\r\nX-Trailer: t\r\n\r\n",
            "HTTP/1.1 200 OK\r\ncontent-length: 100\r\nTRANSFER-encoding: gzip, Chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
            "\r\nHTTP/1.0 200 OK\nServer: x\n\nhello");

    private static HttpAnswer read(boolean keepBody, String... parts) {
        HttpAnswer answer = new HttpAnswer(keepBody, 1 << 20);
        for (String part : parts) {
            answer.read(ByteBuffer.wrap(part.getBytes(StandardCharsets.ISO_8859_1)));
        }
        return answer;
    }

    @Test
    void shouldEndAnAnswerAtItsLengthOrLastChunkWithTheBodyDecoded() {
        for (String whole : WHOLE.subList(0, 3)) {
            HttpAnswer answer = read(true, whole + "HTTP/1.1 500 trailing garbage");

            assertThat(answer.complete()).as(whole).isTrue();
            assertThat(answer.status()).isEqualTo(200);
            assertThat(new String(answer.body(), StandardCharsets.US_ASCII)).isEqualTo("hello");
        }
    }

    @Test
    void shouldEndAnAnswerWithoutLengthAtTheClose() {
        HttpAnswer answer = read(true, WHOLE.get(3));
        assertThat(answer.done()).isFalse();

        answer.closed();

        assertThat(answer.complete()).isTrue();
        assertThat(new String(answer.body(), StandardCharsets.US_ASCII)).isEqualTo("hello");
    }

    @Test
    void shouldKeepNoBodyUnlessAsked() {
        HttpAnswer answer = read(false, WHOLE.get(0));

        assertThat(answer.complete()).isTrue();
        assertThat(answer.body()).isEmpty();
    }

    @Test
    void shouldEndAtTheHeadForStatusesWithoutBody() {
        assertThat(read(false, "HTTP/1.1 204 No Content\r\nContent-Length: 7\r\n\r\n").complete()).isTrue();
        assertThat(read(false, "HTTP/1.1 304 Not Modified\r\n\r\n").status()).isEqualTo(304);
        assertThat(read(false, "HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n").complete()).isTrue();
    }

    @Test
    void shouldFailAnAnswerCutShortByTheClose() {
        HttpAnswer cut = read(false, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhello");
        cut.closed();
        HttpAnswer headless = read(false, "HTTP/1.1 200 OK\r\nContent-");
        headless.closed();

        assertThat(cut.complete()).isFalse();
        assertThat(cut.error()).contains("connection closed before a whole answer");
        assertThat(headless.error()).contains("connection closed before a whole answer");
    }

    @Test
    void shouldNameWhatIsBadInABadAnswer() {
        assertThat(read(false, "SSH-2.0-OpenSSH_9.2\r\n").error()).contains("bad answer: status line 'SSH-2.0-OpenSSH_9.2'");
        assertThat(read(false, "HTTP/1.1 2x0 OK\r\n").error()).contains("bad answer: status line 'HTTP/1.1 2x0 OK'");
        assertThat(read(false, "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n").error())
                .contains("bad answer: Content-Length '-1'");
        assertThat(read(false, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n").error())
                .contains("bad answer: Content-Length '2'");
        assertThat(read(false, "HTTP/1.1 200 OK\r\nno colon\r\n\r\n").error())
                .contains("bad answer: header line 'no colon'");
        assertThat(read(false, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n").error())
                .contains("bad answer: chunk size 'zz'");
        assertThat(read(false, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n").error())
                .contains("bad answer: a chunk longer than its size");
        assertThat(read(false, "HTTP/1.1 200 OK\r\nX: " + "a".repeat(HttpAnswer.MAX_HEAD_BYTES) + "\r\n\r\n").error())
                .contains("bad answer: a head over " + HttpAnswer.MAX_HEAD_BYTES + " bytes");
        HttpAnswer tooLong = new HttpAnswer(true, 4);
        tooLong.read(ByteBuffer.wrap(WHOLE.get(0).getBytes(StandardCharsets.US_ASCII)));
        assertThat(tooLong.error()).contains("bad answer: a body over 4 bytes");
        assertThat(tooLong.done()).isTrue();
    }

    /** Where the reads split the answer changes nothing: a byte at a time reads as one read does. */
    @Property
    void shouldReadTheSameAnswerHoweverItIsSplit(@ForAll @IntRange(min = 0, max = 3) int which,
            @ForAll @IntRange(min = 1, max = 40) int step) {
        String whole = WHOLE.get(which);
        HttpAnswer answer = new HttpAnswer(true, 1 << 20);
        for (int at = 0; at < whole.length(); at += step) {
            answer.read(ByteBuffer.wrap(whole.substring(at, Math.min(whole.length(), at + step))
                    .getBytes(StandardCharsets.ISO_8859_1)));
        }
        answer.closed();

        assertThat(answer.complete()).isTrue();
        assertThat(answer.status()).isEqualTo(200);
        assertThat(new String(answer.body(), StandardCharsets.US_ASCII)).isEqualTo("hello");
    }

    private static final List<String> BAD = List.of(
            "SSH-2.0-OpenSSH_9.2\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length:\t 12x \r\n\r\n",
            "HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + "1".repeat(HttpAnswer.MAX_HEAD_BYTES + 1),
            "HTTP/1.1 204 No Content\r\nX: " + "a".repeat(HttpAnswer.MAX_HEAD_BYTES - 31) + "\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhello");

    /** How the agent reads: into an array it reuses, the answer from offset 0. */
    private enum Feed { ARRAY, DIRECT_BUFFER, HEAP_BUFFER_SLICE }

    private record Outcome(boolean complete, int status, String body, Optional<String> error) {
        static Outcome of(HttpAnswer answer) {
            answer.closed();
            return new Outcome(answer.complete(), answer.status(),
                    new String(answer.body(), StandardCharsets.ISO_8859_1), answer.error());
        }
    }

    /** Any answer, whole or bad, cut anywhere into reads of any kind, reads as one read of it does. */
    @Property
    void shouldReadAnyAnswerAsOneReadHoweverItIsCutAndFed(@ForAll @IntRange(min = 0, max = 11) int which,
            @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 100_000) Integer> cuts, @ForAll Feed feed) {
        byte[] whole = (which < WHOLE.size() ? WHOLE.get(which) : BAD.get(which - WHOLE.size()))
                .getBytes(StandardCharsets.ISO_8859_1);
        HttpAnswer once = new HttpAnswer(true, 1 << 20);
        once.read(whole, 0, whole.length);
        TreeSet<Integer> at = new TreeSet<>();
        for (int cut : cuts) {
            at.add(cut % (whole.length + 1));
        }
        at.add(whole.length);
        HttpAnswer split = new HttpAnswer(true, 1 << 20);
        int from = 0;
        for (int to : at) {
            feed(split, feed, whole, from, to);
            from = to;
        }

        assertThat(Outcome.of(split)).isEqualTo(Outcome.of(once));
    }

    private static void feed(HttpAnswer answer, Feed feed, byte[] whole, int from, int to) {
        switch (feed) {
            case ARRAY -> {
                byte[] reused = new byte[whole.length + 7];
                System.arraycopy(whole, from, reused, 0, to - from);
                answer.read(reused, 0, to - from);
            }
            case DIRECT_BUFFER -> {
                ByteBuffer direct = ByteBuffer.allocateDirect(to - from).put(whole, from, to - from).flip();
                answer.read(direct);
                assertThat(direct.hasRemaining()).isFalse();
            }
            case HEAP_BUFFER_SLICE -> {
                ByteBuffer slice = ByteBuffer.wrap(whole, from, whole.length - from).slice().limit(to - from);
                answer.read(slice);
                assertThat(slice.hasRemaining()).isFalse();
            }
        }
    }

    @Test
    void shouldTakeAContentLengthBetweenBlanksAndQuoteABadOneTrimmed() {
        HttpAnswer spaced = read(true, "HTTP/1.1 200 OK\r\nContent-Length:\t 5 \t\r\n\r\nhello");

        assertThat(spaced.complete()).isTrue();
        assertThat(new String(spaced.body(), StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(read(false, "HTTP/1.1 200 OK\r\nContent-Length:\t 12x \r\n\r\n").error())
                .contains("bad answer: Content-Length '12x'");
        assertThat(read(false, "HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n").error())
                .contains("bad answer: Content-Length ''");
        assertThat(read(false, "HTTP/1.1 200 OK\r\nContent-Length: 1234567890123456789\r\n\r\n").error())
                .contains("bad answer: Content-Length '1234567890123456789'");
    }

    @Test
    void shouldBoundTheHeadWithItsLineEndsAndALineOutsideItAlone() {
        assertThat(read(false, BAD.get(5)).error()).contains("bad answer: a line over " + HttpAnswer.MAX_HEAD_BYTES
                + " bytes");
        assertThat(read(false, BAD.get(6)).error()).as("a head a byte over the most")
                .contains("bad answer: a head over " + HttpAnswer.MAX_HEAD_BYTES + " bytes");
        assertThat(read(false, "HTTP/1.1 204 No Content\r\nX: " + "a".repeat(HttpAnswer.MAX_HEAD_BYTES - 32)
                + "\r\n\r\n").complete()).as("a head of exactly the most bytes").isTrue();
    }
}
