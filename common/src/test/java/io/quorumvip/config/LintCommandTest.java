package io.quorumvip.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LintCommandTest {

    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private static Run lint(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = LintCommand.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void shouldExitZeroAndPrintOnlyTheSummaryForACleanPair() {
        Run run = lint(SharedSamples.samples().resolve("pair-node1.conf").toString(),
                SharedSamples.samples().resolve("pair-node2.conf").toString());

        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo("qvip lint: 2 files, 0 errors, 0 warnings\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void shouldPrintFindingsPerFileThenAcrossFilesThenASummaryAndExitOne() {
        Path node1 = ConfigFixture.write(dir, "node1.conf", ConfigFixture.copyWith(
                SharedSamples.samples().resolve("pair-node1.conf"), "priority 150", "priorty 150"));
        Path node2 = ConfigFixture.write(dir, "node2.conf", ConfigFixture.copyWith(
                SharedSamples.samples().resolve("pair-node2.conf"), "virtual_router_id 66", "virtual_router_id 67"));

        Run run = lint(node1.toString(), node2.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).isEqualTo(
                node1 + ":16:5: error: unknown keyword `priorty` in vrrp_instance (did you mean `priority`?)\n"
                + node2 + ":12:1: error: vrrp_instance `VI_1` has virtual_router_id 67 (" + node1
                + ":12 has 66) (use one virtual_router_id on every node, or the nodes never hear each other)\n"
                + node2 + ":12:1: warning: vrrp_instance `VI_1` has priority 100, the same as in " + node1
                + ":12 (equal priorities make the winner depend on IP addresses; give each node its own priority)\n"
                + "qvip lint: 2 files, 2 errors, 1 warning\n");
    }

    @Test
    void shouldExitOneForWarningsAlone() {
        Path wlc = ConfigFixture.write(dir, "wlc.conf", ConfigFixture.copyWith(
                SharedSamples.upstreamSamples().resolve("keepalived.conf.sample"), "lb_algo rr", "lb_algo wlc"));

        Run run = lint(wlc.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).contains(":28:13: warning: lb_algo wlc runs as wrr")
                .endsWith("qvip lint: 1 file, 0 errors, 1 warning\n");
    }

    @Test
    void shouldExitTwoWithAMessageForAMissingFile() {
        Path missing = dir.resolve("missing.conf");

        Run run = lint(SharedSamples.upstreamSamples().resolve("keepalived.conf.sample").toString(),
                missing.toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("qvip lint: cannot read " + missing + ": no such file\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void shouldExitTwoForBadUsage() {
        assertThat(lint().status()).isEqualTo(2);
        assertThat(lint("--no-such-option", "x.conf").status()).isEqualTo(2);
    }

    @Test
    void shouldUseTheGivenConfigId() {
        Path file = SharedSamples.upstreamSamples().resolve("keepalived.conf.conditional_conf");

        Run run = lint("--config-id", "low", file.toString());

        assertThat(run.out()).contains(file + ":4:6: warning: not supported yet: `net_namespace`");
    }

    @Test
    void shouldPrintEveryFindingAsOneJsonObjectWithTheSameExitStatus() throws Exception {
        Path node1 = ConfigFixture.write(dir, "node1.conf", ConfigFixture.copyWith(
                SharedSamples.samples().resolve("pair-node1.conf"), "priority 150", "priorty 150"));
        Path node2 = ConfigFixture.write(dir, "node2.conf", ConfigFixture.copyWith(
                SharedSamples.samples().resolve("pair-node2.conf"), "virtual_router_id 66", "virtual_router_id 67"));

        Run run = lint("--format", "json", node1.toString(), node2.toString());

        assertThat(run.status()).isEqualTo(1);
        JsonNode findings = new ObjectMapper().readTree(run.out());
        assertThat(findings.isArray()).isTrue();
        assertThat(findings).hasSize(3);
        JsonNode first = findings.get(0);
        assertThat(first.properties()).extracting(Map.Entry::getKey)
                .containsExactly("file", "line", "column", "severity", "message", "hint");
        assertThat(first.get("file").asText()).isEqualTo(node1.toString());
        assertThat(first.get("line").asInt()).isEqualTo(16);
        assertThat(first.get("column").asInt()).isEqualTo(5);
        assertThat(first.get("severity").asText()).isEqualTo("error");
        assertThat(first.get("message").asText()).isEqualTo("unknown keyword `priorty` in vrrp_instance");
        assertThat(first.get("hint").asText()).isEqualTo("did you mean `priority`?");
        assertThat(findings.get(2).get("severity").asText()).isEqualTo("warning");
    }

    @Test
    void shouldPrintAnEmptyJsonArrayAndExitZeroForACleanPair() throws Exception {
        Run run = lint("--format", "JSON", SharedSamples.samples().resolve("pair-node1.conf").toString(),
                SharedSamples.samples().resolve("pair-node2.conf").toString());

        assertThat(run.status()).isZero();
        assertThat(new ObjectMapper().readTree(run.out()).isEmpty()).isTrue();
    }
}
