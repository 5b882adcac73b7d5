package io.quorumvip.agent.lb;

import io.quorumvip.script.ScriptCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a checker or notify command line as {@code sh -c} in a session of its own (setsid), so that on timeout the
 * whole process group is killed, children included (keepalived's {@code misc_check_child_timeout_thread} does the
 * same). Blocking: call it on a bounded pool, never on an event loop.
 */
final class ScriptProcess {

    /** How a run ended. {@code exitCode} is -1 when it was killed on timeout or could not start. */
    record Outcome(int exitCode, boolean timedOut, String firstLine, Duration took) {
    }

    private ScriptProcess() {
    }

    static Outcome run(String commandLine, Duration timeout) {
        return run(commandLine, Optional.empty(), timeout);
    }

    /**
     * @param runAs keepalived's {@code USER [GROUP]} after a script: the script runs as that user (with runuser;
     *              the group defaults to the user's), as keepalived does
     */
    static Outcome run(String commandLine, Optional<String> runAs, Duration timeout) {
        long start = System.nanoTime();
        Path output = null;
        try {
            output = Files.createTempFile("qvip-check", ".out");
            try (FileChannel captured = FileChannel.open(output, StandardOpenOption.READ)) {
                Process process = new ProcessBuilder(command(commandLine, runAs))
                        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
                // The script writes through its descriptor and the output is read back through ours, so the name
                // can go now: an agent killed while a script runs leaves no file in the temp directory.
                Files.deleteIfExists(output);
                output = null;
                boolean exited = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
                if (!exited) {
                    killGroup(process.pid());
                    process.waitFor(1, TimeUnit.SECONDS);
                } else {
                    // Children it left behind in its group are killed too: a check leaves nothing running.
                    killGroup(process.pid());
                }
                return new Outcome(exited ? process.exitValue() : -1, !exited, firstLine(captured),
                        Duration.ofNanos(System.nanoTime() - start));
            }
        } catch (IOException e) {
            return new Outcome(-1, false, "cannot run: " + e.getMessage(), Duration.ofNanos(System.nanoTime() - start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(-1, false, "interrupted", Duration.ofNanos(System.nanoTime() - start));
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless; the check's outcome matters more
                }
            }
        }
    }

    static List<String> command(String commandLine, Optional<String> runAs) {
        List<String> command = new ArrayList<>(List.of("setsid"));
        command.addAll(ScriptCommand.asUser(List.of("sh", "-c", commandLine), runAs));
        return command;
    }

    /** {@code kill -KILL -PGID}: setsid made the script's pid its process group id. */
    static void killGroup(long pgid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + pgid).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        kill.waitFor(5, TimeUnit.SECONDS);
    }

    private static String firstLine(FileChannel output) throws IOException {
        BufferedReader reader = new BufferedReader(Channels.newReader(output, StandardCharsets.UTF_8));
        String line = reader.readLine();
        return line == null ? "" : line.strip();
    }
}
