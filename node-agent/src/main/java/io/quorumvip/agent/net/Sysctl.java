package io.quorumvip.agent.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads a numeric sysctl of the reader's network namespace from /proc/sys. */
public final class Sysctl {
    private Sysctl() {
    }

    /**
     * Read by lines, never with {@code Files.readString}: a /proc/sys file reports size 0, and the kernel's handler for
     * numbers returns nothing when read at a non-zero offset, so a read that asks for one byte first and then the rest
     * gets "2" of 262144 (JDK 17, kernel 6.18). Text sysctls such as the hostname read whole either way.
     */
    public static long read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String text = lines.isEmpty() ? "" : lines.get(0).trim();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IOException(file + " holds `" + text + "` (expected a number)", e);
        }
    }
}
