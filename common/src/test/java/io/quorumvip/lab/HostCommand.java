package io.quorumvip.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command on the host and waits for it: the lab's only way to reach ip, nft, arping and lab.sh. */
public final class HostCommand {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private HostCommand() {
    }

    public static CommandResult run(String... command) {
        return run(DEFAULT_TIMEOUT, "", List.of(command));
    }

    public static CommandResult run(Duration timeout, List<String> command) {
        return run(timeout, "", command);
    }

    /** Output goes through files, not pipes, so a chatty command can never block on a full pipe. */
    public static CommandResult run(Duration timeout, String stdin, List<String> command) {
        Path stdout = null;
        Path stderr = null;
        Path input = null;
        try {
            stdout = Files.createTempFile("qvip-cmd", ".out");
            stderr = Files.createTempFile("qvip-cmd", ".err");
            input = Files.createTempFile("qvip-cmd", ".in");
            Files.writeString(input, stdin);
            Process process = new ProcessBuilder(command)
                    .redirectInput(input.toFile())
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException("command " + String.join(" ", command) + " did not finish within "
                        + timeout + "; stderr so far: " + Files.readString(stderr, StandardCharsets.UTF_8).strip());
            }
            return new CommandResult(List.copyOf(command), process.exitValue(),
                    Files.readString(stdout, StandardCharsets.UTF_8), Files.readString(stderr, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            deleteQuietly(stdout);
            deleteQuietly(stderr);
            deleteQuietly(input);
        }
    }

    /** A temp file that cannot be deleted must not hide the command's own outcome, so the result is ignored. */
    private static void deleteQuietly(Path file) {
        if (file != null) {
            file.toFile().delete();
        }
    }
}
