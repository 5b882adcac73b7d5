package io.quorumvip.agent.lb;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.agent.LabAgent;
import io.quorumvip.events.Event;
import io.quorumvip.lab.Lab;
import io.quorumvip.lab.LabHost;
import io.quorumvip.lab.LabPreconditions;
import io.quorumvip.lab.LabProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SMTP_CHECK, DNS_CHECK, UDP_CHECK and PING_CHECK against real servers in one lab: Debian's aiosmtpd, dnsmasq and
 * the kernel's own ICMP on rs1 (198.51.100.51), checked by one agent. Each virtual server has one real server with
 * one checker, so each verdict in the journal belongs to one failure mode.
 */
class CheckersLabTest {

    private static final String RS = "198.51.100.51";
    private static final Duration VERDICT = Duration.ofSeconds(20);

    private Lab lab;

    @AfterEach
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    private static String virtualServer(int index, int port, String checker, String... lines) {
        return """
                virtual_server 192.0.2.%d %d {
                    lb_algo rr
                    lb_kind NAT
                    protocol %s
                    real_server %s %d {
                        %s {
                            %s
                            delay_loop 1
                            connect_timeout 1
                            retry 1
                            delay_before_retry 0.3
                            warmup 0
                        }
                    }
                }
                """.formatted(230 + index, port, checker.startsWith("UDP") || checker.startsWith("DNS") ? "UDP"
                : "TCP", RS, port, checker, String.join("\n", lines));
    }

    private static String config() {
        return """
                vrrp_instance front {
                    state MASTER
                    interface eth0
                    virtual_router_id 71
                    priority 150
                    advert_int 1
                    virtual_ipaddress {
                        192.0.2.230/24 dev eth0
                    }
                }
                """
                + virtualServer(1, 25, "SMTP_CHECK", "helo_name director.lab.example")
                + virtualServer(2, 2525, "SMTP_CHECK")
                + virtualServer(3, 53, "DNS_CHECK", "type A", "name ok.lab.example")
                + virtualServer(4, 53, "DNS_CHECK", "type A", "name missing.lab.example")
                + virtualServer(5, 53, "UDP_CHECK")
                + virtualServer(6, 9, "UDP_CHECK")
                + virtualServer(7, 80, "PING_CHECK")
                + virtualServer(8, 80, "PING_CHECK", "connect_ip 198.51.100.59");
    }

    private static boolean everDown(List<Event> events, String virtualServer) {
        return LabVerdicts.last(events, virtualServer, false).isPresent();
    }

    @Test
    void shouldKeepHealthyServersUpAndTakeEachFailureModeDownWithItsEvidence() throws Exception {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("dnsmasq", "socat");
        lab = Lab.upWithRealServers(1, 1, Lab.Forwarding.NAT);
        LabHost rs = lab.realServer(1).host();
        Path dir = rs.stateDir();
        LabProcess smtp = rs.start("aiosmtpd", List.of("/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l",
                RS + ":25"));
        rs.start("smtp-wrong-banner", List.of("socat", "TCP-LISTEN:2525,bind=" + RS + ",fork,reuseaddr",
                "SYSTEM:echo 554 not today"));
        rs.start("dnsmasq", List.of("dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv",
                "--no-hosts", "--bind-interfaces", "--listen-address=" + RS, "--except-interface=lo",
                "--address=/ok.lab.example/" + RS, "--local=/lab.example/", "--pid-file=" + dir.resolve("dnsmasq.pid"),
                "--dhcp-leasefile=" + dir.resolve("dnsmasq.leases"), "--user=root", "--group=root"));
        awaitCondition("aiosmtpd and dnsmasq listen", Duration.ofSeconds(15),
                () -> rs.exec("ss", "-ltnu").stdout(), s -> s.contains(RS + ":25") && s.contains(RS + ":53"));
        LabHost director = lab.node(1);
        LabAgent agent = LabAgent.start(lab, director, config());
        try {
            checkEveryMode(rs, smtp, director);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\nagent log:\n" + agent.process().logText(), e);
        }
    }

    private void checkEveryMode(LabHost rs, LabProcess smtp, LabHost director) throws Exception {

        awaitCondition("every failure mode has been taken down", VERDICT, () -> LabVerdicts.events(director),
                e -> List.of("192.0.2.232:2525/tcp", "192.0.2.234:53/udp", "192.0.2.236:9/udp", "192.0.2.238:80/tcp")
                        .stream().allMatch(vs -> everDown(e, vs)));
        Thread.sleep(3_000);
        List<Event> events = LabVerdicts.events(director);
        assertThat(List.of("192.0.2.231:25/tcp", "192.0.2.233:53/udp", "192.0.2.235:53/udp", "192.0.2.237:80/tcp"))
                .as("healthy servers never leave: %s", events).noneMatch(vs -> everDown(events, vs));
        assertThat(LabVerdicts.last(events, "192.0.2.232:2525/tcp", false)).hasValueSatisfying(e -> {
            assertThat(e.checker()).isEqualTo("SMTP_CHECK");
            assertThat(e.detail()).contains("banner 554 not today (expected 220)");
            assertThat(e.statusCode()).isEqualTo(554);
        });
        assertThat(LabVerdicts.last(events, "192.0.2.234:53/udp", false)).hasValueSatisfying(e ->
                assertThat(e.detail()).contains("A missing.lab.example: DNS RCODE 3 NXDOMAIN"));
        assertThat(LabVerdicts.last(events, "192.0.2.236:9/udp", false)).hasValueSatisfying(e ->
                assertThat(e.detail()).isEqualTo("ICMP port unreachable"));
        assertThat(LabVerdicts.last(events, "192.0.2.238:80/tcp", false)).hasValueSatisfying(e ->
                assertThat(e.detail()).isEqualTo("no echo reply within 1000 ms"));

        smtp.stop();
        List<Event> afterStop = awaitCondition("SMTP down after retry+1 = 2 refusals", VERDICT,
                () -> LabVerdicts.events(director), e -> everDown(e, "192.0.2.231:25/tcp"));
        assertThat(LabVerdicts.last(afterStop, "192.0.2.231:25/tcp", false)).hasValueSatisfying(e -> {
            assertThat(e.detail()).isEqualTo("connect refused");
            assertThat(e.consecutive()).isEqualTo(2);
        });
        rs.start("aiosmtpd-again", List.of("/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", RS + ":25"));
        List<Event> afterStart = awaitCondition("SMTP back after one success", VERDICT, () -> LabVerdicts.events(director),
                e -> LabVerdicts.last(e, "192.0.2.231:25/tcp", true).isPresent());
        assertThat(LabVerdicts.last(afterStart, "192.0.2.231:25/tcp", true)).hasValueSatisfying(e -> {
            assertThat(e.detail()).contains("HELO director.lab.example answered 250");
            assertThat(e.consecutive()).isEqualTo(1);
            assertThat(e.latencyMicros()).isPositive();
        });
    }
}
