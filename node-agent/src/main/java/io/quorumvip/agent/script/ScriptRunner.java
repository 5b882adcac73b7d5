package io.quorumvip.agent.script;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external program to completion or until its timeout, whichever comes first. Blocking: call it from a
 * worker thread, never from an event loop. Output goes to /dev/null, as under keepalived; a script that needs a log
 * writes one itself.
 */
public final class ScriptRunner {

    /** How a run ended. {@code exitCode} is meaningful only for {@link Kind#EXITED}. */
    public record Outcome(Kind kind, int exitCode, String detail) {
        public boolean success() {
            return kind == Kind.EXITED && exitCode == 0;
        }

        public String label() {
            return switch (kind) {
                case EXITED -> exitCode == 0 ? "ok" : "exit_" + exitCode;
                case TIMED_OUT -> "timeout";
                case NOT_STARTED -> "not_started";
            };
        }
    }

    public enum Kind { EXITED, TIMED_OUT, NOT_STARTED }

    private ScriptRunner() {
    }

    public static Outcome run(List<String> argv, Duration timeout) {
        Process process;
        try {
            process = new ProcessBuilder(argv)
                    .redirectOutput(ProcessBuilder.Redirect.to(new File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.to(new File("/dev/null")))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            return new Outcome(Kind.NOT_STARTED, -1, argv.get(0) + " could not be started: " + e.getMessage());
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return new Outcome(Kind.TIMED_OUT, -1, argv.get(0) + " still running after " + timeout.toMillis()
                        + " ms, killed");
            }
            return new Outcome(Kind.EXITED, process.exitValue(), argv.get(0) + " exited " + process.exitValue());
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Outcome(Kind.NOT_STARTED, -1, argv.get(0) + " interrupted while running, killed");
        }
    }
}
