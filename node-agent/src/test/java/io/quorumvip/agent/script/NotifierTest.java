package io.quorumvip.agent.script;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.config.NotifyScript;
import io.quorumvip.config.NotifyScripts;
import io.quorumvip.script.ScriptUsers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotifierTest {

    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    private static Optional<NotifyScript> script(String line) {
        return Optional.of(new NotifyScript(line, Optional.empty()));
    }

    private String logging(String tag) {
        Path log = dir.resolve("log");
        return "/bin/sh -c 'echo start " + tag + " \"$*\" >> " + log + "; sleep 0.1; echo end " + tag + " >> " + log + "' sh";
    }

    @Test
    void shouldRunStateScriptThenGenericNotifyWithKeepalivedArguments() throws Exception {
        var scripts = new NotifyScripts(script(logging("master")), Optional.empty(), Optional.empty(),
                Optional.empty(), script(logging("any")));
        var notifier = new Notifier("VI_1", scripts, ScriptUsers.AGENT, executor, Duration.ofSeconds(10), (line, outcome) -> { });

        notifier.entered("MASTER", 150).get(10, TimeUnit.SECONDS);

        assertThat(Files.readAllLines(dir.resolve("log"))).containsExactly(
                "start master ", "end master", "start any INSTANCE VI_1 MASTER 150", "end any");
    }

    @Test
    void shouldNeverRunTwoScriptsOfOneInstanceAtOnceAndKeepTheirOrder() throws Exception {
        var scripts = new NotifyScripts(script(logging("master")), script(logging("backup")),
                script(logging("fault")), Optional.empty(), Optional.empty());
        var notifier = new Notifier("VI_1", scripts, ScriptUsers.AGENT, executor, Duration.ofSeconds(10), (line, outcome) -> { });

        notifier.entered("BACKUP", 100);
        notifier.entered("MASTER", 100);
        notifier.entered("FAULT", 100).get(10, TimeUnit.SECONDS);

        assertThat(Files.readAllLines(dir.resolve("log"))).containsExactly(
                "start backup ", "end backup", "start master ", "end master", "start fault ", "end fault");
    }

    @Test
    void shouldReportAScriptThatCannotStart() throws Exception {
        var outcomes = new ConcurrentLinkedQueue<ScriptRunner.Outcome>();
        var scripts = new NotifyScripts(script("/nonexistent/notify.sh"), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
        var notifier = new Notifier("VI_1", scripts, ScriptUsers.AGENT, executor, Duration.ofSeconds(10), (l, o) -> outcomes.add(o));

        notifier.entered("MASTER", 100).get(10, TimeUnit.SECONDS);

        assertThat(List.copyOf(outcomes)).singleElement()
                .satisfies(o -> assertThat(o.kind()).isEqualTo(ScriptRunner.Kind.NOT_STARTED));
    }

    @Test
    void shouldKillAScriptThatOutlivesItsTimeout() {
        var outcome = ScriptRunner.run(List.of("/bin/sleep", "30"), Duration.ofMillis(200));
        assertThat(outcome.kind()).isEqualTo(ScriptRunner.Kind.TIMED_OUT);
        assertThat(outcome.label()).isEqualTo("timeout");
    }

    @Test
    void shouldReportExitCodes() {
        assertThat(ScriptRunner.run(List.of("/bin/false"), Duration.ofSeconds(5)).label()).isEqualTo("exit_1");
        assertThat(ScriptRunner.run(List.of("/bin/true"), Duration.ofSeconds(5)).success()).isTrue();
    }

    @Test
    void shouldRunNotifyScriptsAsTheirOwnUserOrTheDefaultScriptUser() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(new io.quorumvip.script.LocalScriptHost().self().uid() == 0,
                "runuser needs root");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        var scripts = new NotifyScripts(Optional.of(new NotifyScript("/bin/sh -c 'id -u > " + dir.resolve("master")
                + "'", Optional.of("root"))), Optional.empty(), Optional.empty(), Optional.empty(),
                script("/bin/sh -c 'id -u > " + dir.resolve("any") + "'"));
        var notifier = new Notifier("VI_1", scripts, new ScriptUsers(Optional.of("nobody")), executor,
                Duration.ofSeconds(10), (line, outcome) -> { });

        notifier.entered("MASTER", 100).get(10, TimeUnit.SECONDS);

        assertThat(Files.readString(dir.resolve("master")).strip()).as("its own user").isEqualTo("0");
        assertThat(Files.readString(dir.resolve("any")).strip()).as("script_user").isEqualTo("65534");
    }
}
