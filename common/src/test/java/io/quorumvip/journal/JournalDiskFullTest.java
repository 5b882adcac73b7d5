package io.quorumvip.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quorumvip.events.EventRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A journal on a 512 KiB tmpfs: the append that does not fit fails clearly and leaves no corruption. */
class JournalDiskFullTest {

    @TempDir
    Path parent;

    private Path mountPoint;
    private boolean mounted;

    @BeforeEach
    void mountSmallTmpfs() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        mountPoint = Files.createDirectory(parent.resolve("tiny"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", mountPoint.toString())
                .redirectErrorStream(true).start();
        String output = new String(mount.getInputStream().readAllBytes());
        assumeTrue(mount.waitFor(10, TimeUnit.SECONDS) && mount.exitValue() == 0,
                "cannot mount a tmpfs here (no CAP_SYS_ADMIN?): " + output);
        mounted = true;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            boolean unmounted = run("umount", mountPoint.toString());
            if (!unmounted) {
                run("umount", "-l", mountPoint.toString());
            }
            assertThat(unmounted).as("umount " + mountPoint + " (lazily unmounted instead: something held it open)").isTrue();
        }
    }

    private static boolean run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).inheritIO().start();
        return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    }

    @Test
    void shouldFailTheAppendClearlyAndStayConsistentWhenTheDiskIsFull() throws Exception {
        Path dir = mountPoint.resolve("journal");
        JournalConfig config = JournalConfig.of(dir, "node-11").withSegmentBytes(64 * 1024);
        long acknowledged = 0;
        try (Journal journal = Journal.open(config)) {
            long i = 0;
            while (true) {
                try {
                    journal.appendDurably(JournalFixtures.draft(i++));
                    acknowledged++;
                } catch (JournalUnwritableException e) {
                    assertThat(e).hasMessageContaining("No space left on device").hasMessageContaining(dir.toString());
                    break;
                }
            }
            assertThat(journal.health().canWriteAhead()).isFalse();
            assertThat(journal.health().status()).isEqualTo(JournalHealth.Status.FAILING);
            long acked = acknowledged;
            assertThatThrownBy(() -> journal.appendDurably(JournalFixtures.draft(acked)))
                    .isInstanceOf(JournalUnwritableException.class);
            assertThat(journal.lastDurableSeq()).isEqualTo(acknowledged);
        }

        try (Journal reopened = Journal.open(config)) {
            assertThat(reopened.recoveredTornTail()).isEmpty();
            assertThat(reopened.lastDurableSeq()).isEqualTo(acknowledged);
        }
        List<EventRecord> records = JournalFixtures.readAll(dir);
        assertThat(records).extracting(EventRecord::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, acknowledged).boxed().toList());
        assertThat(JournalVerifier.verify(List.of(dir)).findings()).isEmpty();
    }
}
