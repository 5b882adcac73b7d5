package io.quorumvip.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The load-balancing lab (DESIGN.md §8): real nginx servers, DR and NAT wiring, and nothing left after close. */
class RealServersLabTest {

    @BeforeEach
    void requireLab() {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("nginx", "curl", "arping");
    }

    @Test
    void shouldRunRealServersThatAnswerTheirNamesAndHoldTheDrVipWithoutAnsweringArpForIt() {
        try (Lab lab = Lab.upWithRealServers(1, 2, Lab.Forwarding.DR)) {
            String vip = lab.drVip().orElseThrow();

            assertThat(lab.realServers()).extracting(LabRealServer::address).containsExactly("192.0.2.51", "192.0.2.52");
            assertThat(lab.client().httpAnswers("http://192.0.2.51/", 2)).containsOnly(Map.entry("rs1", 2));
            assertThat(lab.client().httpAnswers("http://192.0.2.52/health", 2)).containsOnly(Map.entry("rs2", 2));
            assertThat(lab.client().httpAnswers("http://192.0.2.60/", 1)).containsOnly(Map.entry("sorry", 1));
            LabHost rs1 = lab.realServer(1).host();
            assertThat(rs1.exec("ip", "-o", "addr", "show", "dev", "lo").stdout()).contains(vip + "/32");
            assertThat(rs1.exec("sysctl", "-n", "net.ipv4.conf.eth0.arp_ignore", "net.ipv4.conf.eth0.arp_announce")
                    .stdout().lines().toList()).containsExactly("1", "2");
            assertThat(lab.arpReplies(vip)).as("nobody owns the VIP yet; the real servers must stay silent").isEmpty();
        }
    }

    @Test
    void shouldStopAndStartOneRealServerByPid() {
        try (Lab lab = Lab.upWithRealServers(1, 2, Lab.Forwarding.DR)) {
            LabRealServer rs1 = lab.realServer(1);
            long firstPid = rs1.nginx().pid();

            rs1.stop();
            Map<String, Integer> whileStopped = lab.client().httpAnswers("http://192.0.2.51/", 1);
            Map<String, Integer> rs2WhileStopped = lab.client().httpAnswers("http://192.0.2.52/", 1);
            rs1.start();

            assertThat(whileStopped).containsOnly(Map.entry(LabHost.FAILED, 1));
            assertThat(rs2WhileStopped).containsOnly(Map.entry("rs2", 1));
            assertThat(rs1.nginx().pid()).isNotEqualTo(firstPid);
            assertThat(lab.client().httpAnswers("http://192.0.2.51/", 1)).containsOnly(Map.entry("rs1", 1));
            assertThat(lab.status().path("real_servers").path(0).path("alive").asBoolean()).isTrue();
        }
    }

    @Test
    void shouldPutNatRealServersOnTheBackendNetworkRoutedThroughTheGatewayVip() {
        try (Lab lab = Lab.upWithRealServers(2, 2, Lab.Forwarding.NAT)) {
            LabHost n1 = lab.node(1);

            assertThat(lab.realServer(2).address()).isEqualTo("198.51.100.52");
            assertThat(lab.sorryServer().address()).isEqualTo("198.51.100.60");
            assertThat(lab.drVip()).isEmpty();
            assertThat(lab.status().path("backend").path("gateway").asText()).isEqualTo("198.51.100.1");
            assertThat(n1.exec("ip", "-o", "-4", "addr", "show", "dev", "eth1").stdout()).contains("198.51.100.11/24");
            assertThat(lab.node(2).exec("ip", "-o", "-4", "addr", "show", "dev", "eth1").stdout())
                    .contains("198.51.100.12/24");
            assertThat(n1.exec("sysctl", "-n", "net.ipv4.ip_forward").stdout().strip()).isEqualTo("1");
            assertThat(lab.realServer(1).host().exec("ip", "route", "show", "default").stdout())
                    .contains("default via 198.51.100.1");
            assertThat(n1.httpAnswers("http://198.51.100.51/", 1)).containsOnly(Map.entry("rs1", 1));
            assertThat(lab.client().httpAnswers("http://198.51.100.51/", 1))
                    .as("the client has no route to the backend network").containsOnly(Map.entry(LabHost.FAILED, 1));
        }
    }

    @Test
    void shouldLeaveNoNginxNamespaceOrFileBehindAfterClose() {
        Lab lab = Lab.upWithRealServers(1, 2, Lab.Forwarding.NAT);
        List<LabProcess> nginx = new ArrayList<>();
        try (lab) {
            lab.realServers().forEach(server -> nginx.add(server.nginx()));
            nginx.add(lab.sorryServer().nginx());
            assertThat(nginx).allMatch(LabProcess::isAlive);
        }

        assertThat(nginx).noneMatch(LabProcess::isAlive);
        assertThat(HostCommand.run("ip", "netns", "list").stdout()).doesNotContain(lab.name() + "-");
        assertThat(Files.exists(Path.of("/run/qvip-lab", lab.name()))).isFalse();
    }
}
