package io.quorumvip.lab;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LabTest {

    private static final Duration BOUND = Duration.ofSeconds(10);

    @BeforeEach
    void requireLab() {
        LabPreconditions.assumeLabCanRun();
    }

    @Test
    void shouldGiveEveryHostItsAddressOnEth0AndConnectThemThroughTheSwitch() {
        try (Lab lab = Lab.up(2)) {
            String name = lab.name();
            assertThat(labNamespaces(name))
                    .containsExactlyInAnyOrder(name + "-sw", name + "-n1", name + "-n2", name + "-client");
            assertThat(lab.node(1).ipv4Addresses()).containsExactly("192.0.2.11");
            assertThat(lab.node(2).ipv4Addresses()).containsExactly("192.0.2.12");
            assertThat(lab.client().ipv4Addresses()).containsExactly("192.0.2.100");
            assertThat(lab.node(1).canPing("192.0.2.12")).as("n1 pings n2").isTrue();
            assertThat(lab.node(1).canPing("192.0.2.100")).as("n1 pings the client").isTrue();
            assertThat(lab.node(1).mac()).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}").isNotEqualTo(lab.node(2).mac());
        }
    }

    @Test
    void shouldReportTheLabAsJson() {
        try (Lab lab = Lab.up(2)) {
            JsonNode status = lab.status();

            assertThat(status.path("lab").asText()).isEqualTo(lab.name());
            assertThat(status.path("client").path("address").asText()).isEqualTo("192.0.2.100");
            assertThat(status.path("nodes")).hasSize(2);
            JsonNode n2 = status.path("nodes").path(1);
            assertThat(n2.path("node").asText()).isEqualTo("n2");
            assertThat(n2.path("namespace").asText()).isEqualTo(lab.name() + "-n2");
            assertThat(n2.path("address").asText()).isEqualTo("192.0.2.12");
            assertThat(n2.path("daemon").asText()).isEqualTo("none");
            assertThat(n2.path("state").asText()).isEqualTo("unknown");
            assertThat(n2.path("vips").isArray()).isTrue();
        }
    }

    @Test
    void shouldRemoveEveryNamespaceProcessAndFileOnCloseAndAcceptASecondDown() {
        Lab lab = Lab.up(2);
        LabProcess probe;
        try (lab) {
            probe = lab.node(2).startJava("probe", JavaMain.of(NamespaceProbeMain.class.getName()));
            awaitCondition("the probe has started", BOUND, probe::logText, log -> log.contains("ready"));
        }

        assertThat(labNamespaces(lab.name())).isEmpty();
        assertThat(probe.isAlive()).as("probe process " + probe.pid()).isFalse();
        assertThat(Files.exists(lab.stateDir())).isFalse();
        CommandResult secondDown = HostCommand.run(lab.layout().labScript().toString(), "down", "--name", lab.name());
        assertThat(secondDown.exitCode()).as(secondDown.stderr()).isZero();
    }

    @Test
    void shouldRemoveTheLabWhenTheJvmExitsWithoutClosingIt() {
        CommandResult run = HostCommand.run(Duration.ofSeconds(60),
                JavaMain.of(AbandonedLabMain.class.getName()).command());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        String[] nameAndPid = run.stdout().strip().split(" ");
        String name = nameAndPid[0];
        long probePid = Long.parseLong(nameAndPid[1]);
        assertThat(name).startsWith("qvt");
        assertThat(labNamespaces(name)).isEmpty();
        assertThat(LabProcess.isRunning(probePid)).as("probe process " + probePid).isFalse();
        assertThat(Files.exists(Lab.STATE_ROOT.resolve(name))).isFalse();
    }

    @Test
    void shouldRunAJavaMainInsideTheNodeNamespaceAndControlItBySignals() {
        try (Lab lab = Lab.up(1)) {
            LabProcess probe = lab.node(1).startJava("probe", JavaMain.of(NamespaceProbeMain.class.getName()));

            String log = awaitCondition("the probe lists its addresses", BOUND, probe::logText,
                    text -> text.contains("ready"));
            assertThat(log).contains("address eth0 192.0.2.11").doesNotContain("192.0.2.100");
            assertThat(probe.log()).startsWith(lab.stateDir());

            probe.sigstop();
            awaitCondition("the probe is stopped", BOUND, probe::state, "T"::equals);
            probe.sigcont();
            awaitCondition("the probe runs again", BOUND, probe::state, state -> !state.equals("T"));
            probe.stop();
            assertThat(probe.isAlive()).isFalse();
        }
    }

    @Test
    void shouldCutAndRestoreAHostsLink() {
        try (Lab lab = Lab.up(2)) {
            lab.node(2).linkDown();
            assertThat(lab.node(1).canPing("192.0.2.12")).as("n1 pings n2 with n2's cable pulled").isFalse();

            lab.node(2).linkUp();
            awaitCondition("n1 pings n2 again", BOUND, () -> lab.node(1).canPing("192.0.2.12"), Boolean::booleanValue);
        }
    }

    private static List<String> labNamespaces(String labName) {
        String list = HostCommand.run("ip", "netns", "list").requireSuccess().stdout();
        return Arrays.stream(list.split("\n"))
                .map(line -> line.split(" ")[0])
                .filter(namespace -> namespace.startsWith(labName + "-"))
                .toList();
    }
}
