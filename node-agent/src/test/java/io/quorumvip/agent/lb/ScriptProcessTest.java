package io.quorumvip.agent.lb;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.check.ProbeResult;
import io.quorumvip.config.CheckKind;
import io.quorumvip.config.CheckTarget;
import io.quorumvip.config.CheckTiming;
import io.quorumvip.config.CheckerConfig;
import io.quorumvip.config.SourcePosition;
import io.quorumvip.script.ScriptUsers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ScriptProcessTest {

    /** Processes whose command line carries the marker, read from /proc. */
    private static long running(String marker) throws IOException {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> {
                try {
                    return new String(Files.readAllBytes(p.resolve("cmdline"))).contains(marker);
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }

    /**
     * The group was sent SIGKILL when the run returned; a loaded machine may take a moment to carry it out. A
     * leftover sleeps for 300 s, far beyond the bound, so waiting does not hide one.
     */
    private static void awaitNoneRunning(String marker) {
        awaitCondition("no process with " + marker + " left", Duration.ofSeconds(10), () -> {
            try {
                return running(marker);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, n -> n == 0);
    }

    @Test
    void shouldKillAScriptThatNeverExitsWithTheChildrenItForked() throws Exception {
        String marker = "qvip-hang-" + UUID.randomUUID();
        String script = "sleep 300 & sleep 301 & exec sh -c 'sleep 302; : " + marker + "'";

        ScriptProcess.Outcome outcome = ScriptProcess.run("sh -c \"" + script.replace("\"", "\\\"") + "\" "
                + marker, Duration.ofMillis(300));

        assertThat(outcome.timedOut()).isTrue();
        assertThat(outcome.took()).isLessThan(Duration.ofSeconds(3));
        awaitNoneRunning(marker);
    }

    @Test
    void shouldLeaveNoChildBehindAScriptThatExits() throws Exception {
        String marker = "qvip-child-" + UUID.randomUUID();

        ScriptProcess.Outcome outcome = ScriptProcess.run("sh -c 'sleep 300; : " + marker + "' & echo started; "
                + "exit 1", Duration.ofSeconds(5));

        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.firstLine()).isEqualTo("started");
        awaitNoneRunning(marker);
    }

    /**
     * The script's own stdout names the file it writes to: once the run has started, that name is gone, so an agent
     * killed mid-script leaves nothing in the temp directory. The script waits a second first, far longer than
     * removing a name takes.
     */
    @Test
    void shouldRemoveTheOutputFilesNameWhileTheScriptStillRuns() {
        ScriptProcess.Outcome outcome = ScriptProcess.run("sleep 1; readlink /proc/$$/fd/1", Duration.ofSeconds(10));

        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.firstLine()).contains("qvip-check").endsWith("(deleted)");
    }

    @Test
    void shouldRunAScriptAsTheUserKeepalivedsSyntaxNames() {
        assertThat(ScriptProcess.command("check.sh", Optional.of("nobody nogroup"))).containsExactly("setsid",
                "runuser", "-u", "nobody", "-g", "nogroup", "--", "sh", "-c", "check.sh");
        org.junit.jupiter.api.Assumptions.assumeTrue(io.quorumvip.lab.LabPreconditions.isRoot(),
                "running a script as another user needs root");

        ScriptProcess.Outcome outcome = ScriptProcess.run("id -un", Optional.of("nobody"), Duration.ofSeconds(5));

        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.firstLine()).isEqualTo("nobody");
    }

    @Test
    void shouldReadMiscDynamicExitCodesAsWeights() throws Exception {
        ProbeResult result = misc(new CheckKind.Misc("echo weight; exit 12", Duration.ofSeconds(5), true,
                Optional.empty()));

        assertThat(result.success()).isTrue();
        assertThat(result.dynamicWeight()).hasValue(10);
        assertThat(result.exitCode()).hasValue(12);
        assertThat(result.detail()).isEqualTo("exit code 12: weight");
    }

    @Test
    void shouldRunAMiscCheckAsItsUserAndGroup() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.quorumvip.lab.LabPreconditions.isRoot(),
                "running a MISC_CHECK as another user needs root");
        String nobody = ScriptProcess.run("id -u nobody", Duration.ofSeconds(5)).firstLine();
        String nogroup = ScriptProcess.run("getent group nogroup | cut -d: -f3", Duration.ofSeconds(5)).firstLine();
        org.junit.jupiter.api.Assumptions.assumeFalse(nogroup.isEmpty(), "needs Debian's nogroup group");

        ProbeResult result = misc(new CheckKind.Misc("echo uid=$(id -u) gid=$(id -g); exit 1", Duration.ofSeconds(5),
                false, Optional.of("nobody nogroup")));

        assertThat(result.success()).isFalse();
        assertThat(result.detail()).isEqualTo("exit code 1: uid=" + nobody + " gid=" + nogroup);
    }

    private static ProbeResult misc(CheckKind.Misc kind) throws IOException {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CheckerConfig checker = new CheckerConfig(kind, new SourcePosition(Path.of("t.conf"), 1, 1),
                    new CheckTiming(Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Duration.ZERO, Duration.ZERO, false),
                    new CheckTarget(InetAddress.getByName("192.0.2.51"), 0, Optional.empty(), OptionalInt.empty(),
                            Optional.empty(), OptionalLong.empty(), false, false));
            return new MiscProber(checker, ScriptUsers.AGENT, pool).probe().toCompletionStage().toCompletableFuture()
                    .join();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldRunAMiscCheckAsTheDefaultScriptUserNobody() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(new io.quorumvip.script.LocalScriptHost().self().uid() == 0,
                "runuser needs root");
        ScriptUsers users = new ScriptUsers(Optional.of("nobody"));

        ScriptProcess.Outcome outcome = ScriptProcess.run("echo $(id -u):$(id -g)", users.runAs(Optional.empty()),
                Duration.ofSeconds(10));

        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.firstLine()).isEqualTo("65534:65534");
    }
}
