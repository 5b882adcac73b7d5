package io.quorumvip.agent;

import io.quorumvip.lab.HostCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A small tmpfs mounted on a journal directory, which a test fills so that the journal's next new page fails with
 * "No space left on device". (Appends into the page already in use still succeed; a remount read-only is refused
 * while the journal has the file open.)
 */
final class JournalDisk implements AutoCloseable {

    private final Path mountPoint;

    private JournalDisk(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    static JournalDisk mount(Path dir) throws IOException {
        Files.createDirectories(dir);
        HostCommand.run(Duration.ofSeconds(10), List.of("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs",
                dir.toString())).requireSuccess();
        return new JournalDisk(dir);
    }

    /** Takes every free page; dd ends with "No space left on device", which is the point. */
    void fill() {
        HostCommand.run(Duration.ofSeconds(20), List.of("dd", "if=/dev/zero", "of=" + mountPoint.resolve("filler"),
                "bs=4k"));
    }

    @Override
    public void close() {
        HostCommand.run(Duration.ofSeconds(10), List.of("umount", "-l", mountPoint.toString()));
    }
}
