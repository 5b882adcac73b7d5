package io.quorumvip.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.events.EventRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** kill -9 of a process appending at full speed: nothing acknowledged as durable may be lost. */
class JournalCrashTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "kill {0} ms after the first acknowledgement")
    @ValueSource(ints = {50, 400, 900, 1300})
    void shouldKeepEveryAcknowledgedEventAfterKillMinusNine(int runMillis) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashAppenderMain.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        ConcurrentLinkedQueue<Long> acknowledged = new ConcurrentLinkedQueue<>();
        CountDownLatch ready = new CountDownLatch(1);
        CountDownLatch firstAck = new CountDownLatch(1);
        Thread readerThread = new Thread(() -> readAcks(child, ready, firstAck, acknowledged));
        try {
            readerThread.start();
            assertThat(ready.await(60, TimeUnit.SECONDS)).as("child opened its journal").isTrue();
            // Counted from the first durable append, not from "ready": a fresh JVM on a loaded machine can take
            // longer than the shortest run to make its first append durable, and a kill before it proves nothing.
            assertThat(firstAck.await(60, TimeUnit.SECONDS)).as("child acknowledged its first append").isTrue();
            Thread.sleep(runMillis);
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child exited after SIGKILL").isTrue();
            readerThread.join(30_000);
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).as("exit status 128+9 means SIGKILL").isEqualTo(137);

        long maxAcked = acknowledged.stream().mapToLong(Long::longValue).max().orElseThrow();
        try (Journal journal = Journal.open(JournalConfig.of(dir, "node-11").withSegmentBytes(256 * 1024))) {
            assertThat(journal.lastDurableSeq()).isGreaterThanOrEqualTo(maxAcked);
        }
        List<EventRecord> records = JournalFixtures.readAll(dir);
        assertThat(records).extracting(EventRecord::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, records.size()).boxed().toList());
        assertThat(JournalVerifier.verify(List.of(dir)).findings()).isEmpty();
    }

    private static void readAcks(Process child, CountDownLatch ready, CountDownLatch firstAck,
                                 ConcurrentLinkedQueue<Long> acknowledged) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.equals("ready")) {
                    ready.countDown();
                } else if (!line.isEmpty()) {
                    acknowledged.add(Long.parseLong(line.trim()));
                    firstAck.countDown();
                }
            }
        } catch (IOException | NumberFormatException e) {
            // A line cut by the kill is the only expected error; the assertions above catch a real loss.
            return;
        }
    }
}
