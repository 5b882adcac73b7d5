package io.quorumvip.agent.script;

import io.quorumvip.config.NotifyScript;
import io.quorumvip.config.NotifyScripts;
import io.quorumvip.script.ScriptCommand;
import io.quorumvip.script.ScriptUsers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * Runs one instance's notify scripts with keepalived's arguments: first the state's own script
 * ({@code notify_master}, {@code notify_backup}, {@code notify_fault}, {@code notify_stop}) as written, then the
 * generic {@code notify} with {@code INSTANCE <name> <state> <priority>} appended, each as its {@code USER [GROUP]}
 * or the default script user ({@link ScriptUsers}). Runs are queued per instance and
 * executed one at a time, in the order the states were entered, so a slow script never overlaps the next one.
 */
public final class Notifier {

    private final String kind;
    private final String instance;
    private final NotifyScripts scripts;
    private final ScriptUsers users;
    private final Executor executor;
    private final Duration timeout;
    private final BiConsumer<String, ScriptRunner.Outcome> onOutcome;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    /**
     * @param onOutcome told the script line and how it ended, on the worker thread, for logs and metrics
     */
    public Notifier(String instance, NotifyScripts scripts, ScriptUsers users, Executor executor, Duration timeout,
                    BiConsumer<String, ScriptRunner.Outcome> onOutcome) {
        this("INSTANCE", instance, scripts, users, executor, timeout, onOutcome);
    }

    private Notifier(String kind, String instance, NotifyScripts scripts, ScriptUsers users, Executor executor,
                     Duration timeout, BiConsumer<String, ScriptRunner.Outcome> onOutcome) {
        this.kind = kind;
        this.instance = instance;
        this.scripts = scripts;
        this.users = users;
        this.executor = executor;
        this.timeout = timeout;
        this.onOutcome = onOutcome;
    }

    /** A vrrp_sync_group's scripts: the generic {@code notify} gets {@code GROUP <name> <state> <priority>}. */
    public static Notifier forGroup(String group, NotifyScripts scripts, ScriptUsers users, Executor executor,
                                    Duration timeout, BiConsumer<String, ScriptRunner.Outcome> onOutcome) {
        return new Notifier("GROUP", group, scripts, users, executor, timeout, onOutcome);
    }

    /**
     * Queues the scripts for entering {@code state} (MASTER, BACKUP, FAULT or STOP).
     *
     * @return completes when this state's scripts have run
     */
    public synchronized CompletableFuture<Void> entered(String state, int priority) {
        if (scripts.equals(NotifyScripts.NONE)) {
            return tail;
        }
        List<List<String>> commands = new ArrayList<>();
        specific(state).ifPresent(script -> commands.add(ScriptCommand.asUser(ScriptCommand.split(script.command()),
                users.runAs(script.runAs()))));
        scripts.any().ifPresent(script -> {
            List<String> argv = new ArrayList<>(ScriptCommand.split(script.command()));
            argv.addAll(List.of(kind, instance, state, Integer.toString(priority)));
            commands.add(ScriptCommand.asUser(argv, users.runAs(script.runAs())));
        });
        for (List<String> argv : commands) {
            tail = tail.thenRunAsync(() -> onOutcome.accept(String.join(" ", argv), ScriptRunner.run(argv, timeout)),
                    executor);
        }
        return tail;
    }

    private Optional<NotifyScript> specific(String state) {
        return switch (state) {
            case "MASTER" -> scripts.master();
            case "BACKUP" -> scripts.backup();
            case "FAULT" -> scripts.fault();
            case "STOP" -> scripts.stop();
            default -> Optional.empty();
        };
    }
}
