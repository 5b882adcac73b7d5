package io.quorumvip.forensics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quorumvip.events.Cause;
import io.quorumvip.forensics.wire.CapturedFrame;
import io.quorumvip.forensics.wire.PcapFiles;
import io.quorumvip.forensics.wire.WireFrames;
import io.quorumvip.ownership.RoleInput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ForensicsCommandTest {

    @TempDir
    Path root;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(List<Path> dirs, String... options) {
        List<String> args = new ArrayList<>(List.of(options));
        dirs.forEach(d -> args.add(d.toString()));
        CommandLine command = new CommandLine(new ForensicsCommand());
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        return command.execute(args.toArray(String[]::new));
    }

    /** Three agents without a quorum block; n3 stays BACKUP; n1 and n2 both bind during a partition. */
    private List<Path> splitCluster() throws IOException {
        return ForensicsTest.partitionWithoutQuorum()
                .started("n3", 0).role("n3", 1, RoleInput.INITIALIZE, RoleInput.BACKUP, Cause.NONE).stopped("n3", 20_000)
                .write(root.resolve("split"));
    }

    private List<Path> healthyCluster() throws IOException {
        return new ClusterScript()
                .ownerWithoutQuorum("n1", 0).released("n1", 9000).stopped("n1", 9000)
                .started("n2", 0).role("n2", 1, RoleInput.INITIALIZE, RoleInput.BACKUP, Cause.NONE).stopped("n2", 9001)
                .write(root.resolve("healthy"));
    }

    @Test
    void shouldPrintIncidentsThenOwnershipAndExitOneOnDualOwnership() throws IOException {
        assertThat(run(splitCluster())).isEqualTo(1);

        String text = out.toString();
        assertThat(text).contains("in 3 node(s) n1, n2, n3", "[CRITICAL] DUAL_OWNERSHIP 192.0.2.200/24 (VI_1, VRID 51)  n1, n2",
                "[WARNING] DUAL_MASTER", "causes: ", "OWNERSHIP", "FINDING: dual ownership");
        assertThat(text.indexOf("INCIDENTS")).isLessThan(text.indexOf("OWNERSHIP\n"));
    }

    @Test
    void shouldExitZeroWhenNoAddressWasEverHeldTwice() throws IOException {
        assertThat(run(healthyCluster())).isEqualTo(0);
        assertThat(out.toString()).contains("no dual ownership", "192.0.2.200/24 (VI_1): n1 8.998 s (1 bind)");
    }

    @Test
    void shouldPrintJsonThatNamesTheSplitBrain() throws IOException {
        assertThat(run(splitCluster(), "--json")).isEqualTo(1);

        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("split_brain").asBoolean()).isTrue();
        assertThat(json.get("clock_uncertainty_micros").asLong()).isEqualTo(50_000);
        assertThat(json.get("incidents")).anySatisfy(incident -> {
            assertThat(incident.get("kind").asText()).isEqualTo("DUAL_OWNERSHIP");
            assertThat(incident.get("min_duration_micros").asLong()).isEqualTo(7_000_000);
            assertThat(incident.get("causes").size()).isPositive();
        });
        assertThat(json.get("vips").get(0).get("address").asText()).isEqualTo("192.0.2.200/24");
    }

    @Test
    void jsonWrittenAsBytesShouldBeTheJsonWrittenThroughTheWriter() throws IOException {
        // Generated years in small: chains with arrows and "±", and intervals that go through the spool file.
        List<Path> dirs = HistoryGenerator.write(root.resolve("history"), 2, 7, 3_000);
        List<String> args = new ArrayList<>(List.of("--json"));
        dirs.forEach(d -> args.add(d.toString()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CommandLine command = new CommandLine(new ForensicsCommand(bytes));
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));

        assertThat(command.execute(args.toArray(String[]::new))).isEqualTo(run(dirs, "--json"));
        assertThat(out.toString()).contains("→").contains("\"intervals\":[{");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(out.toString());
    }

    @Test
    void shouldWriteASelfContainedHtmlTimeline() throws IOException {
        Path page = root.resolve("timeline.html");

        assertThat(run(splitCluster(), "--html", page.toString(), "--clock-uncertainty", "10")).isEqualTo(1);

        String html = Files.readString(page);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<h2>Addresses</h2>", "192.0.2.200/24", "n3 VI_1",
                "DUAL_OWNERSHIP", "±10 ms").doesNotContain("http://", "https://", "<script", "src=");
        assertThat(out.toString()).contains("wrote " + page);
    }

    @Test
    void shouldHonourTheWindow() throws IOException {
        assertThat(run(splitCluster(), "--to", Long.toString(ClusterScript.START_MILLIS + 1000))).isEqualTo(0);
        assertThat(out.toString()).contains("  none\n\n0 incident(s) in 3 node(s)");
    }

    @Test
    void jsonShouldCarryTheWireLinesOnlyWhenCapturesAreGiven() throws IOException {
        List<Path> journals = splitCluster();
        Path captures = capturedSplit();

        assertThat(run(journals, "--json", "--captures", captures.toString(), "--")).isEqualTo(1);
        JsonNode withCaptures = new ObjectMapper().readTree(out.toString());
        out.getBuffer().setLength(0);
        assertThat(run(journals, "--json")).isEqualTo(1);
        JsonNode without = new ObjectMapper().readTree(out.toString());

        JsonNode dualOwnership = withCaptures.path("incidents").findParents("kind").stream()
                .filter(i -> i.path("kind").asText().equals("DUAL_OWNERSHIP")).findFirst().orElseThrow();
        assertThat(dualOwnership.path("wire")).hasSize(3);
        assertThat(dualOwnership.path("wire").get(0).asText())
                .startsWith("VRRPv2 advert from 192.0.2.11 VRID 51 every 1000 ms priority 150: ");
        assertThat(without.path("incidents").get(0).has("wire")).isFalse();
    }

    /**
     * The split of {@link #splitCluster}, captured: n1's adverts (priority 150) stop at 3 s and come back at 10 s,
     * n2's (priority 100) fill the gap and it announces the address. Each incident shows both senders, and --pcap
     * writes the frames of the windows.
     */
    @Test
    void shouldShowWhatWasOnTheWireNextToEachIncidentAndWriteItsFrames() throws IOException {
        List<Path> journals = splitCluster();
        Path captures = capturedSplit();
        Path pcap = root.resolve("split.pcap");

        assertThat(run(journals, "--captures", captures.toString(), "--pcap", pcap.toString(), "--")).isEqualTo(1);

        String text = out.toString();
        String dualOwnership = text.substring(text.indexOf("[CRITICAL] DUAL_OWNERSHIP"), text.indexOf("OWNERSHIP\n"));
        assertThat(dualOwnership).contains(
                "  wire:   VRRPv2 advert from 192.0.2.11 VRID 51 every 1000 ms priority 150: ",
                "(seen by n1@eth0 ", "longest silence 8.000 s (04:40:02.000 .. 04:40:10.000)",
                "          gratuitous ARP request 192.0.2.200 is-at 02:00:00:00:00:12: 1 frame 04:40:03.002 "
                        + "(seen by n2@eth0 1)",
                "          VRRPv2 advert from 192.0.2.12 VRID 51 every 1000 ms priority 100: 7 frames "
                        + "04:40:03.500 .. 04:40:09.500 (seen by n2@eth0 7)");
        assertThat(err.toString()).contains("wrote 12 frame(s) of the incidents' windows to " + pcap);
        assertThat(PcapFiles.read(pcap)).as("n1 0..2 s and 10 s, n2 3.5..9.5 s, the ARP").hasSize(12);
    }

    /** n1's adverts every second except 3..9 s, n2's in between and its gratuitous ARP, as two agents' files. */
    private Path capturedSplit() throws IOException {
        Path captures = root.resolve("captures");
        Files.createDirectories(captures);
        List<CapturedFrame> n1 = new ArrayList<>();
        List<CapturedFrame> n2 = new ArrayList<>();
        for (int second = 0; second <= 20; second++) {
            if (second < 3 || second >= 10) {
                n1.add(new CapturedFrame("", ClusterScript.micros(second * 1000L),
                        WireFrames.advert(WireFrames.N1, WireFrames.N1_MAC, 150)));
            } else {
                n2.add(new CapturedFrame("", ClusterScript.micros(second * 1000L + 500),
                        WireFrames.advert(WireFrames.N2, WireFrames.N2_MAC, 100)));
            }
        }
        n2.add(new CapturedFrame("", ClusterScript.micros(3002),
                WireFrames.arp(1, WireFrames.VIP, WireFrames.N2_MAC, WireFrames.VIP)));
        PcapFiles.write(captures.resolve(PcapFiles.fileName("n1", "eth0", ClusterScript.micros(0))), n1);
        PcapFiles.write(captures.resolve(PcapFiles.fileName("n2", "eth0", ClusterScript.micros(0))), n2);
        return captures;
    }

    @Test
    void shouldExitTwoOnBadUsageOrUnreadableInput() throws IOException {
        List<Path> dirs = healthyCluster();

        assertThat(run(List.of(root.resolve("missing")))).isEqualTo(2);
        assertThat(err.toString()).contains("missing").contains("does not exist");
        assertThat(run(dirs, "--json", "--html", root.resolve("x.html").toString())).isEqualTo(2);
        assertThat(run(dirs, "--from", "yesterday")).isEqualTo(2);
        assertThat(err.toString()).contains("--from got 'yesterday' (expected an ISO-8601 instant");
        assertThat(run(dirs, "--clock-uncertainty", "-1")).isEqualTo(2);
        assertThat(run(List.of())).isEqualTo(2);
        assertThat(run(dirs, "--pcap", root.resolve("x.pcap").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--pcap " + root.resolve("x.pcap") + " given without --captures DIR");
        assertThat(run(dirs, "--captures", root.resolve("none").toString(), "--")).isEqualTo(2);
        assertThat(err.toString()).contains("capture directory " + root.resolve("none") + " does not exist");
    }
}
