package io.quorumvip.agent.interop;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quorumvip.agent.LabAgent;
import io.quorumvip.lab.Lab;
import io.quorumvip.lab.LabHost;
import io.quorumvip.lab.LabPreconditions;
import io.quorumvip.lab.LabProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * use_vmac against a real keepalived 2.2.7 using use_vmac too: our agent (priority 150) on n1, keepalived (100) on
 * n2, VRID 66, so the virtual MAC is 00:00:5e:00:01:42. Ground truth: which interface of which namespace has the
 * VIP ({@code ip -n}), what answers ARP from the client, what the client captures on the wire, and where the
 * bridge forwards the virtual MAC.
 */
class KeepalivedVmacInteropTest {

    private static final String VIP = "192.0.2.200";
    private static final String VMAC = "00:00:5e:00:01:42";
    private static final String VMAC_IF = "vrrp.66";
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void requireLab() {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("keepalived", "tshark", "arping", "bridge");
    }

    @Test
    void ourAgentShouldOwnTheVipOnTheVmacAndFailOverBothWaysWithKeepalivedUsingUseVmac() throws IOException {
        try (Lab lab = Lab.up(2)) {
            LabHost n1 = lab.node(1);
            LabHost n2 = lab.node(2);
            LabProcess igmp = lab.client().start("tshark-igmp", List.of("tshark", "-l", "-i", "eth0", "-f", "igmp",
                    "-T", "fields", "-E", "separator=/t", "-e", "eth.src", "-e", "ip.src", "-e", "igmp.type"));
            awaitCondition("tshark captures IGMP", Duration.ofSeconds(20), igmp::logText,
                    t -> t.contains("Capturing on"));
            Path keepalivedConfig = write(n2, "keepalived-vmac.conf", config("n2", 100));
            n2.startKeepalived(keepalivedConfig);
            LabAgent ours = LabAgent.start(lab, n1, config("n1", 150));

            awaitCondition("our agent MASTER with " + VIP + " on n1's " + VMAC_IF + " only", LabAgent.MASTER_BOUND,
                    () -> ours.state("VI_1") + " " + vipDevices(n1) + " " + vipDevices(n2),
                    ("MASTER [" + VMAC_IF + "] []")::equals);
            JsonNode link = link(n1, VMAC_IF);
            assertThat(link.path("address").asText()).isEqualTo(VMAC);
            assertThat(link.path("link").asText()).isEqualTo("eth0");
            assertThat(link.path("linkinfo").path("info_kind").asText()).isEqualTo("macvlan");
            assertThat(link.path("linkinfo").path("info_data").path("mode").asText()).isEqualTo("private");
            assertThat(n1.exec("nft", "list", "table", "ip", "qvip_vmac").stdout()).contains("oifname \"vrrp.66\"");
            assertThat(arpReplies(lab)).as("only the virtual MAC answers ARP for the VIP").containsExactly(VMAC);
            List<String[]> adverts = capture(lab.client(), "ip proto 112", 3, "eth.src", "ip.src", "vrrp.prio");
            assertThat(adverts).as("our adverts from the VMAC").isNotEmpty().allSatisfy(fields ->
                    assertThat(fields).containsExactly(VMAC, "192.0.2.11", "150"));
            assertThat(lab.bridgePort(VMAC)).contains(n1.namespace());

            // A killed agent leaves its macvlan (and the VIP on it); keepalived takes over all the same.
            ours.process().freezeAndKill();
            awaitCondition("keepalived holds " + VIP + " on n2's " + VMAC_IF, LabAgent.MASTER_BOUND,
                    () -> vipDevices(n2), Set.of(VMAC_IF)::equals);
            awaitCondition("the bridge sends the VMAC to n2", Duration.ofSeconds(5), () -> lab.bridgePort(VMAC),
                    port -> port.equals(Optional.of(n2.namespace())));
            assertThat(link(n1, VMAC_IF).path("address").asText()).isEqualTo(VMAC);

            LabProcess wire = lab.client().start("tshark-failback", List.of("tshark", "-l", "-i", "eth0", "-f",
                    "arp or ip proto 112", "-T", "fields", "-E", "separator=/t", "-e", "eth.src", "-e",
                    "arp.src.hw_mac", "-e", "arp.src.proto_ipv4", "-e", "arp.dst.proto_ipv4", "-e", "vrrp.prio"));
            awaitCondition("tshark captures", Duration.ofSeconds(20), wire::logText, t -> t.contains("Capturing on"));
            LabAgent restarted = LabAgent.start(lab, n1, config("n1", 150));
            awaitCondition("the restarted agent adopts " + VMAC_IF + " and takes " + VIP + " back",
                    LabAgent.MASTER_BOUND,
                    () -> restarted.state("VI_1") + " " + vipDevices(n1) + " " + vipDevices(n2),
                    ("MASTER [" + VMAC_IF + "] []")::equals);
            awaitCondition("the bridge sends the VMAC to n1 again", Duration.ofSeconds(5),
                    () -> lab.bridgePort(VMAC), port -> port.equals(Optional.of(n1.namespace())));
            sleep(Duration.ofSeconds(2));
            wire.stop();
            assertThat(restarted.process().logText()).contains("VMAC interface adopted");
            List<String[]> frames = fields(wire.logText());
            assertThat(frames).as("gratuitous ARP for the VIP from the VMAC").anySatisfy(f ->
                    assertThat(f).startsWith(VMAC, VMAC, VIP, VIP));
            assertThat(frames).as("priority-150 adverts from the VMAC").anySatisfy(f ->
                    assertThat(f).containsExactly(VMAC, "", "", "", "150"));
            assertThat(arpReplies(lab)).containsExactly(VMAC);

            // A clean stop hands over with priority 0, removes the macvlan and puts back arp_ignore / arp_filter as
            // the run found them: 1, set by the killed run (keepalived, too, restores only what it changed).
            restarted.process().stop();
            awaitCondition("keepalived holds " + VIP + " on n2's " + VMAC_IF + ", n1 has no " + VMAC_IF,
                    LabAgent.MASTER_BOUND, () -> vipDevices(n2) + " " + hasLink(n1, VMAC_IF),
                    ("[" + VMAC_IF + "] false")::equals);
            assertThat(n1.exec("cat", "/proc/sys/net/ipv4/conf/eth0/arp_ignore").stdout().strip()).isEqualTo("1");
            assertThat(n1.exec("cat", "/proc/sys/net/ipv4/conf/eth0/arp_filter").stdout().strip()).isEqualTo("1");
            assertThat(restarted.process().logText()).contains("VMAC interface removed");
            assertThat(arpReplies(lab)).containsExactly(VMAC);
            awaitCondition("the bridge sends the VMAC to n2", Duration.ofSeconds(5), () -> lab.bridgePort(VMAC),
                    port -> port.equals(Optional.of(n2.namespace())));
            assertThat(n1.exec("nft", "list", "table", "ip", "qvip_vmac").exitCode()).isNotZero();
            igmp.stop();
            assertThat(fields(igmp.logText())).as("IGMP reports from the virtual MAC (a switch would learn it)")
                    .noneSatisfy(f -> assertThat(f[0]).isEqualTo(VMAC));
        }
    }

    private static String config(String node, int priority) {
        return """
                global_defs {
                    router_id %s
                }
                vrrp_instance VI_1 {
                    state BACKUP
                    interface eth0
                    virtual_router_id 66
                    priority %d
                    advert_int 1
                    use_vmac
                    virtual_ipaddress {
                        192.0.2.200/24
                    }
                }
                """.formatted(node, priority);
    }

    private static Path write(LabHost host, String name, String text) {
        Path file = host.stateDir().resolve(name);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The interfaces of {@code host} that have the VIP right now. */
    private static Set<String> vipDevices(LabHost host) {
        Set<String> devices = new TreeSet<>();
        for (JsonNode link : json(host.exec("ip", "-j", "addr", "show").stdout())) {
            for (JsonNode info : link.path("addr_info")) {
                if (VIP.equals(info.path("local").asText())) {
                    devices.add(link.path("ifname").asText());
                }
            }
        }
        return devices;
    }

    private static boolean hasLink(LabHost host, String device) {
        return host.exec("ip", "link", "show", "dev", device).exitCode() == 0;
    }

    private static JsonNode link(LabHost host, String device) {
        return json(host.exec("ip", "-d", "-j", "link", "show", "dev", device).stdout()).path(0);
    }

    /** Every MAC that answered one ARP request from the client, lower case. */
    private static Set<String> arpReplies(Lab lab) {
        Set<String> macs = new TreeSet<>();
        lab.arpReplies(VIP).forEach(mac -> macs.add(mac.toLowerCase()));
        return macs;
    }

    /** Frames the client sees for {@code seconds}, as tshark's fields. */
    private static List<String[]> capture(LabHost client, String filter, int seconds, String... fieldNames) {
        List<String> command = new ArrayList<>(List.of("tshark", "-i", "eth0", "-a",
                "duration:" + seconds, "-f", filter, "-T", "fields", "-E", "separator=/t"));
        for (String field : fieldNames) {
            command.add("-e");
            command.add(field);
        }
        return fields(client.exec(command.toArray(String[]::new)).stdout());
    }

    /** tshark's tab-separated lines (its status lines have no tab). */
    private static List<String[]> fields(String output) {
        return output.lines().filter(line -> line.contains("\t")).map(line -> line.split("\t", -1)).toList();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
