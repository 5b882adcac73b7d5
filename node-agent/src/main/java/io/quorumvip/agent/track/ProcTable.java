package io.quorumvip.agent.track;

import io.quorumvip.track.ProcessPattern;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts running processes in {@code /proc} that match a pattern. Zombies do not count, as in keepalived (pgrep
 * counts them). A process that exits while it is read is simply not counted.
 */
final class ProcTable {

    private final Path proc;

    ProcTable(Path proc) {
        this.proc = proc;
    }

    int count(ProcessPattern pattern) throws IOException {
        int count = 0;
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, "[1-9]*")) {
            for (Path pid : pids) {
                if (matches(pid, pattern)) {
                    count++;
                }
            }
        }
        return count;
    }

    private static boolean matches(Path pid, ProcessPattern pattern) {
        try {
            // stat is "PID (comm) STATE ...": comm may hold spaces and parentheses, so take the last ')'.
            String stat = Files.readString(pid.resolve("stat"), StandardCharsets.ISO_8859_1);
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            if (open < 0 || close < open || close + 2 >= stat.length() || stat.charAt(close + 2) == 'Z') {
                return false;
            }
            String comm = stat.substring(open + 1, close);
            boolean needsCommandLine = pattern.fullCommand()
                    || pattern.match() != ProcessPattern.ParamMatch.NONE;
            if (!needsCommandLine) {
                return comm.equals(pattern.name());
            }
            return pattern.matches(comm, commandLine(pid));
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> commandLine(Path pid) throws IOException {
        byte[] bytes = Files.readAllBytes(pid.resolve("cmdline"));
        List<String> argv = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                argv.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < bytes.length) {
            argv.add(new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8));
        }
        return argv;
    }
}
