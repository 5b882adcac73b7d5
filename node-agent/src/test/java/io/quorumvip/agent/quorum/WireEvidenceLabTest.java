package io.quorumvip.agent.quorum;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.agent.LabAgent;
import io.quorumvip.forensics.ForensicsCommand;
import io.quorumvip.lab.Lab;
import io.quorumvip.lab.LabHost;
import io.quorumvip.lab.LabPreconditions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Packets as evidence (issue 15, item 4): two real agents without a quorum block capture their interface; VRRP is
 * dropped in and out of n1 for 10 s, so n2 takes the address too. {@code qvip forensics --captures} must show,
 * next to the dual ownership's chain of causes, the adverts both nodes sent (n1 at 150 with its silence while
 * blocked, n2 at 100) and n2's gratuitous ARP, all taken from the agents' capture files; the exported pcap must open
 * in tshark with both senders' adverts.
 */
class WireEvidenceLabTest {

    private static final String VIP = "192.0.2.200";
    private static final Duration PARTITION = Duration.ofSeconds(10);
    /** Generous: it catches a pair that never gets there, it does not measure how fast. */
    private static final Duration BOUND = Duration.ofSeconds(30);

    @BeforeEach
    void requireLab() {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("java", "mvn", "nft", "curl", "timeout", "bash", "tshark");
    }

    @Test
    void forensicsShouldShowBothNodesAdvertsFromTheCapturesAndExportThemForTshark() throws Exception {
        try (Lab lab = Lab.up(2)) {
            LabHost h1 = lab.node(1);
            LabHost h2 = lab.node(2);
            LabAgent n1 = LabAgent.start(lab, h1, LabAgent.sampleConfig(lab, "pair-node1.conf"));
            LabAgent n2 = LabAgent.start(lab, h2, LabAgent.sampleConfig(lab, "pair-node2.conf"));
            try {
                awaitCondition("n1 owns " + VIP + " and n2 is BACKUP", BOUND,
                        () -> lab.vipHolders(VIP) + " n1=" + n1.stateSummary() + " n2=" + n2.stateSummary(),
                        "[n1] n1=MASTER vip_owned=true n2=BACKUP vip_owned=false"::equals);
                h1.blockVrrp();
                try {
                    Thread.sleep(PARTITION.toMillis());
                } finally {
                    h1.unblockVrrp();
                }
                awaitCondition("n2 back to BACKUP without " + VIP + " after healing", BOUND, n2::stateSummary,
                        "BACKUP vip_owned=false"::equals);
            } finally {
                n2.process().stop();
                n1.process().stop();
            }
            Path pcap = h1.stateDir().resolve("incidents.pcap");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine command = new CommandLine(new ForensicsCommand());
            command.setOut(new PrintWriter(out));
            command.setErr(new PrintWriter(err));

            int exit = command.execute(LabAgent.journalDir(h1).toString(), LabAgent.journalDir(h2).toString(),
                    "--captures", captureDir(h1).toString(), captureDir(h2).toString(), "--pcap", pcap.toString());

            String report = out.toString();
            System.out.println("forensics with captures:\n" + report + err);
            assertThat(exit).as("exit code (1: dual ownership found); stderr: %s", err).isEqualTo(1);
            int start = report.indexOf("[CRITICAL] DUAL_OWNERSHIP");
            assertThat(start).as("a dual ownership in%n%s", report).isNotNegative();
            String incident = report.substring(start, report.indexOf("\n\n", start));
            assertThat(incident).as("the dual ownership's wire lines")
                    .contains("  wire:   ")
                    .containsPattern("VRRPv2 advert from " + h1.address() + " VRID 66 every 1000 ms priority 150: "
                            + "\\d+ frames .*seen by .*n1@eth0.*longest silence (9|10|11)\\.\\d{3} s")
                    .containsPattern("VRRPv2 advert from " + h2.address() + " VRID 66 every 1000 ms priority 100: "
                            + "\\d+ frames .*n2@eth0")
                    .contains("gratuitous ARP request " + VIP + " is-at " + h2.mac());
            assertThat(err.toString()).containsPattern("wrote \\d+ frame\\(s\\)");

            List<String> adverts = tshark(pcap, "vrrp", "ip.src", "vrrp.prio");
            assertThat(adverts).as("adverts tshark reads in the exported file")
                    .contains(h1.address() + "\t150", h2.address() + "\t100");
        }
    }

    /**
     * VRRPv3 over IPv6 (libpcap's {@code vrrp} primitive is IPv4 only): n1 (150) owns 2001:db8::200 and stops
     * gracefully, n2 (100) takes over. The captures must hold both nodes' IPv6 adverts, n1's priority 0 and n2's
     * unsolicited neighbour advert, and forensics must show them next to the hand-over's outage.
     */
    @Test
    void theCaptureShouldHoldIpv6AdvertsAndNeighbourAdvertsOfAHandOver() throws Exception {
        String vip6 = "2001:db8:0:0:0:0:0:200";
        try (Lab lab = Lab.upWithIpv6(2)) {
            LabHost h1 = lab.node(1);
            LabHost h2 = lab.node(2);
            LabAgent n1 = LabAgent.start(lab, h1, IPV6_CONFIG.formatted("n1", 150));
            LabAgent n2 = LabAgent.start(lab, h2, IPV6_CONFIG.formatted("n2", 100));
            try {
                awaitCondition("n1 MASTER and n2 BACKUP", BOUND, () -> n1.state("VI_6") + " " + n2.state("VI_6"),
                        "MASTER BACKUP"::equals);
                n1.process().stop();
                awaitCondition("n2 MASTER after n1 stopped", BOUND, () -> n2.state("VI_6"), "MASTER"::equals);
                Thread.sleep(1500);
            } finally {
                n2.process().stop();
                n1.process().stop();
            }
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine command = new CommandLine(new ForensicsCommand());
            command.setOut(new PrintWriter(out));
            command.setErr(new PrintWriter(err));

            command.execute(LabAgent.journalDir(h1).toString(), LabAgent.journalDir(h2).toString(),
                    "--captures", captureDir(h1).toString(), captureDir(h2).toString());

            String report = out.toString();
            System.out.println("forensics with IPv6 captures:\n" + report + err);
            // Each incident ends with a blank line; the first one follows the INCIDENTS header directly.
            String incident = "[WARNING] NO_OWNER " + vip6;
            List<String> outages = Arrays.stream(report.split("\n\n")).filter(block -> block.contains(incident))
                    .map(block -> block.substring(block.indexOf(incident))).toList();
            assertThat(outages).as("the outages of %s in%n%s", vip6, report).isNotEmpty();
            // Which node binds first depends on which agent came up first; n1's stop is the last hand-over.
            assertThat(outages.get(outages.size() - 1)).as("the wire lines of the hand-over at n1's stop")
                    .containsPattern("VRRPv3 advert from fe80:[0-9a-f:]+(%\\w+)? VRID 52 every 1000 ms priorities"
                            + " 150, 0: \\d+ frames? .*seen by .*n1@eth0")
                    .containsPattern("VRRPv3 advert from fe80:[0-9a-f:]+(%\\w+)? VRID 52 every 1000 ms priority 100: ")
                    .contains("neighbour advert " + vip6 + " is-at " + h2.mac() + " (override)");
        }
    }

    private static final String IPV6_CONFIG = """
            global_defs {
                router_id %s
            }
            vrrp_instance VI_6 {
                state BACKUP
                interface eth0
                virtual_router_id 52
                priority %d
                advert_int 1
                virtual_ipaddress {
                    2001:db8::200/64
                }
            }
            """;

    /** The agent's default: beside its journal. */
    private static Path captureDir(LabHost host) {
        Path journal = LabAgent.journalDir(host);
        return journal.resolveSibling(journal.getFileName() + "-capture");
    }

    private static List<String> tshark(Path file, String filter, String... fields) throws IOException,
            InterruptedException {
        List<String> command = new ArrayList<>(List.of("tshark", "-r", file.toString(), "-Y", filter,
                "-T", "fields"));
        for (String field : fields) {
            command.add("-e");
            command.add(field);
        }
        Process tshark = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(tshark.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tshark.waitFor(60, TimeUnit.SECONDS)).as("tshark finished").isTrue();
        assertThat(tshark.exitValue()).as("tshark exit code; output: %s", output).isZero();
        assertThat(Files.size(file)).isGreaterThan(24);
        return output.lines().toList();
    }
}
