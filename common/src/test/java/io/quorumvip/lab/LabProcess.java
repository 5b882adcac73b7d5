package io.quorumvip.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A process the lab started inside a node's namespace, handled only by its PID (never by name). The process is
 * its own session leader (setsid), so signals meant for the test JVM do not reach it.
 */
public final class LabProcess {

    private static final Duration GRACE = Duration.ofSeconds(3);
    private static final Duration DEATH_BOUND = Duration.ofSeconds(5);

    private final String description;
    private final long pid;
    private final Path log;

    LabProcess(String description, long pid, Path log) {
        this.description = description;
        this.pid = pid;
        this.log = log;
    }

    public long pid() {
        return pid;
    }

    /** stdout and stderr of the process. */
    public Path log() {
        return log;
    }

    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the log of " + this + ": " + log, e);
        }
    }

    /** Running or stopped; a zombie counts as dead. */
    public boolean isAlive() {
        return isRunning(pid);
    }

    /** SIGTERM, then waits; whatever of the process tree is left after the grace period gets SIGKILL. */
    public void stop() {
        if (!isAlive()) {
            return;
        }
        List<Long> tree = tree();
        signal("CONT", tree);
        signal("TERM", List.of(pid));
        if (!awaitDeath(tree, GRACE)) {
            // Children orphaned during the grace period are no longer in a fresh tree, so kill both.
            Set<Long> left = new LinkedHashSet<>(tree());
            left.addAll(tree);
            List<Long> pids = List.copyOf(left);
            signal("KILL", pids);
            requireDeath(pids);
        }
    }

    /** SIGKILL to this PID only (a keepalived parent killed this way lets its VRRP child exit gracefully). */
    public void kill9() {
        signal("KILL", List.of(pid));
        requireDeath(List.of(pid));
    }

    public void sigstop() {
        signal("STOP", List.of(pid));
    }

    public void sigcont() {
        signal("CONT", List.of(pid));
    }

    /**
     * A crash of the whole daemon: SIGSTOP the process and all its descendants first, so none of them can react
     * (a keepalived VRRP child would otherwise send its priority-0 advert), then SIGKILL all of them.
     */
    public void freezeAndKill() {
        signal("STOP", List.of(pid));
        List<Long> tree = tree();
        signal("STOP", tree);
        signal("KILL", tree);
        requireDeath(tree);
    }

    /** This process and its descendants, parents first, from /proc/PID/task/TID/children. */
    List<Long> tree() {
        List<Long> tree = new ArrayList<>();
        if (isRunning(pid)) {
            collect(pid, tree);
        }
        return tree;
    }

    private static void collect(long pid, List<Long> tree) {
        tree.add(pid);
        for (long child : children(pid)) {
            collect(child, tree);
        }
    }

    private static List<Long> children(long pid) {
        List<Long> children = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                String text = Files.readString(task.resolve("children")).strip();
                if (!text.isEmpty()) {
                    for (String child : text.split("\\s+")) {
                        children.add(Long.parseLong(child));
                    }
                }
            }
        } catch (IOException e) {
            // The process exited while we looked: it has no children any more.
            return List.of();
        }
        return children;
    }

    /** The kernel's state letter for this process (R, S, D, T for stopped, Z, ...), or "gone". */
    public String state() {
        return state(pid);
    }

    static boolean isRunning(long pid) {
        String state = state(pid);
        return !state.equals("Z") && !state.equals("X") && !state.equals("gone");
    }

    private static String state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The state follows the command name, which is in parentheses and may itself contain ") ".
            int afterName = stat.lastIndexOf(')') + 2;
            return stat.substring(afterName, afterName + 1);
        } catch (IOException e) {
            return "gone";
        }
    }

    private static void signal(String signal, List<Long> pids) {
        List<String> command = new ArrayList<>(List.of("kill", "-s", signal));
        pids.stream().filter(LabProcess::isRunning).map(String::valueOf).forEach(command::add);
        if (command.size() > 3) {
            // A process may exit between the check and the signal; that is the outcome we wanted anyway.
            HostCommand.run(command.toArray(String[]::new));
        }
    }

    private static boolean awaitDeath(List<Long> pids, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (pids.stream().anyMatch(LabProcess::isRunning)) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private void requireDeath(List<Long> pids) {
        if (!awaitDeath(pids, DEATH_BOUND)) {
            throw new IllegalStateException(this + ": processes " + pids.stream().filter(LabProcess::isRunning).toList()
                    + " still alive " + DEATH_BOUND + " after SIGKILL");
        }
    }

    @Override
    public String toString() {
        return description + " (pid " + pid + ")";
    }
}
