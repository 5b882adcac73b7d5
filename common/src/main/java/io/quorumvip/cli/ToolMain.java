package io.quorumvip.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Runs a command-line tool so that its exit code cannot lie: 1 means a finding (split brain, a verification
 * failure), so a tool that failed itself — out of memory, a bug, input it could not read — exits 2 with a message
 * saying so, never 1 and never with only a stack trace.
 */
public final class ToolMain {

    public static final int FAILED = 2;

    private ToolMain() {
    }

    /** Executes {@code command} (a picocli command) with {@code args}; returns the exit code. */
    public static int execute(String name, Object command, String... args) {
        CommandLine commandLine = new CommandLine(command)
                .setExitCodeExceptionMapper(e -> FAILED)
                .setExecutionExceptionHandler((e, line, parsed) -> {
                    report(line.getErr(), name, e);
                    return FAILED;
                });
        try {
            return commandLine.execute(args);
        } catch (OutOfMemoryError | StackOverflowError e) {
            // picocli lets errors through; what the command held is unreachable by now, so there is room to say so.
            report(commandLine.getErr(), name, e);
            return FAILED;
        }
    }

    private static void report(PrintWriter err, String name, Throwable e) {
        if (e instanceof OutOfMemoryError) {
            err.println("qvip " + name + ": out of memory (" + e.getMessage() + ", heap limit "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB): the input is too large for this heap; "
                    + "give the JVM more with QVIP_JAVA_OPTS='-Xmx…' (nothing was found or cleared: this is not a result)");
        } else {
            err.println("qvip " + name + ": internal failure: " + e + " (nothing was found or cleared: this is not a "
                    + "result; please report it with the command line)");
        }
        err.flush();
    }
}
