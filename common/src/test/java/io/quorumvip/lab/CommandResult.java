package io.quorumvip.lab;

import java.util.List;

/** What a finished host command printed and returned. */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Returns this result, or throws naming the command, its exit code and its stderr. */
    public CommandResult requireSuccess() {
        if (!succeeded()) {
            throw new IllegalStateException("command " + String.join(" ", command) + " failed with exit code "
                    + exitCode + " (expected 0); stderr: " + stderr.strip() + "; stdout: " + stdout.strip());
        }
        return this;
    }
}
