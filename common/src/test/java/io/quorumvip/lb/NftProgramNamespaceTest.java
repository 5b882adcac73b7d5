package io.quorumvip.lb;

import static io.quorumvip.lb.NftProgramTest.dr;
import static io.quorumvip.lb.NftProgramTest.nat;
import static io.quorumvip.lb.NftProgramTest.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.config.ForwardingMethod;
import io.quorumvip.config.LbScheduler;
import io.quorumvip.config.Persistence;
import io.quorumvip.config.VirtualServerConfig;
import io.quorumvip.lab.CommandResult;
import io.quorumvip.lab.HostCommand;
import io.quorumvip.lab.LabPreconditions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The program's JSON as the kernel takes it: every document applied with {@code nft -j -f} inside a network
 * namespace made for the test (with a veth named eth0 for DR's ingress hook) and removed after it. The host's own
 * ruleset is never touched, and the test checks that it is unchanged.
 */
class NftProgramNamespaceTest {

    @TempDir
    Path dir;

    private String namespace;
    private String hostRulesetBefore;

    @BeforeEach
    void createNamespace() {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("nft");
        hostRulesetBefore = HostCommand.run("nft", "list", "ruleset").requireSuccess().stdout();
        namespace = "qvlbt-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000;
        HostCommand.run("ip", "netns", "add", namespace).requireSuccess();
        HostCommand.run("ip", "-n", namespace, "link", "add", "eth0", "type", "veth", "peer", "name", "eth1")
                .requireSuccess();
    }

    @AfterEach
    void removeNamespace() {
        if (namespace != null) {
            HostCommand.run("ip", "netns", "del", namespace).requireSuccess();
            assertThat(HostCommand.run("nft", "list", "ruleset").requireSuccess().stdout())
                    .as("the host's ruleset").isEqualTo(hostRulesetBefore);
        }
    }

    private CommandResult apply(String document) throws Exception {
        Path file = Files.writeString(Files.createTempFile(dir, "program", ".json"), document);
        return HostCommand.run("ip", "netns", "exec", namespace, "nft", "-j", "-f", file.toString());
    }

    private String ruleset() {
        return HostCommand.run("ip", "netns", "exec", namespace, "nft", "list", "ruleset").requireSuccess().stdout();
    }

    /** The listing's lines and map elements, sorted. */
    private static List<String> pieces(String ruleset) {
        return Arrays.stream(ruleset.split("[,\n]")).map(String::strip).sorted().toList();
    }

    private static final String RS2 = "rs_192_0_2_210_80_tcp__192_0_2_52_80";

    private static NftProgram everyShape(boolean rs2Alive) {
        VirtualServerConfig persistent = LbFixtures.expiringNodestConn(LbFixtures.virtualServer(LbScheduler.WRR,
                ForwardingMethod.NAT, 1, 0, Optional.empty(), false,
                Optional.of(new Persistence(Duration.ofSeconds(50), 24)), LbFixtures.reals(3, 1, 1)));
        VirtualServerConfig sh = nat(LbScheduler.SH, 1, 2);
        VirtualServerConfig other = new VirtualServerConfig(new io.quorumvip.config.VirtualService.Endpoint(
                LbFixtures.ip("192.0.2.211"), 443), sh.position(), sh.protocol(), sh.scheduler(), sh.method(),
                sh.persistence(), sh.quorum(), sh.hysteresis(), sh.quorumUp(), sh.quorumDown(), sh.haSuspend(),
                sh.alpha(), sh.omega(), sh.hashPort(), sh.smtpAlert(), sh.virtualhost(), sh.sorryServer(),
                sh.sorryInhibit(), sh.expireNodestConn(), sh.realServers());
        VirtualServerConfig maglev = dr(LbScheduler.MH, 1, 1, 1);
        ServicePlan masquerading = plan(other);
        masquerading = new ServicePlan(other, masquerading.endpoints(), masquerading.fwmarks(),
                masquerading.pool(), Optional.empty(), true);
        return NftProgramBuilder.build(List.of(plan(persistent, true, rs2Alive, true), masquerading,
                plan(maglev, true, rs2Alive, true)));
    }

    @Test
    void shouldBeTakenByTheKernelWholeThenChangedByDiffThenRemoved() throws Exception {
        NftProgram first = everyShape(true);
        NftProgram second = everyShape(false);

        apply(first.fullTransaction()).requireSuccess();
        String whole = ruleset();
        apply(NftProgram.diff(first, second).orElseThrow()).requireSuccess();
        String changed = ruleset();
        apply(NftProgram.diff(second, first).orElseThrow()).requireSuccess();
        String back = ruleset();
        apply(first.fullTransaction()).requireSuccess();
        String rebuilt = ruleset();
        apply(NftProgram.removeAll()).requireSuccess();

        assertThat(whole).contains("table ip qvip_lb", "table netdev qvip_lb",
                "192.0.2.210 . tcp . 80 : goto vs_192_0_2_210_80_tcp",
                "counter name \"vs_192_0_2_210_80_tcp\"",
                "meta mark set numgen inc mod 509 meta mark set meta mark map @slots_192_0_2_210_80_tcp goto"
                        + " fwd_192_0_2_210_80_tcp",
                "type mark : counter", "type mark : mark", "type mark : ipv4_addr", "type mark : inet_service",
                "type mark : ether_addr", "type ipv4_addr . mark",
                "meta mark set 0x00000001 ip saddr & 255.255.255.0 . meta mark @aff_192_0_2_210_80_tcp meta mark"
                        + " @serving_192_0_2_210_80_tcp goto fwd_192_0_2_210_80_tcp",
                "counter name meta mark map @ctr_192_0_2_210_80_tcp",
                "update @aff_192_0_2_210_80_tcp { ip saddr & 255.255.255.0 . meta mark }",
                "ct mark set meta mark map @cmark_192_0_2_210_80_tcp",
                "meta l4proto tcp dnat to meta mark map @dst_192_0_2_210_80_tcp:meta mark map"
                        + " @dport_192_0_2_210_80_tcp",
                "meta mark & 0x00010000 == 0x00010000 masquerade",
                "ether daddr set meta mark map @macs_192_0_2_210_80_tcp fwd to \"eth0\"",
                String.format("0x00000001 : 0x%08x", NftProgramBuilder.connMark(RS2)),
                "counter " + RS2 + " {",
                "type filter hook forward priority filter; policy accept;",
                "meta l4proto tcp ct mark @nodest counter packets 0 bytes 0 reject with tcp reset",
                "ct mark @nodest counter packets 0 bytes 0 drop");
        assertThat(whole).as("no chain per real server").doesNotContain("chain rs_", "vmap @members");
        assertThat(whole).as("no real server left the pool yet").contains("set nodest {\n\t\ttype mark\n\t}");
        assertThat(changed).contains(String.format("set nodest {\n\t\ttype mark\n\t\telements = { 0x%08x }",
                NftProgramBuilder.connMark(RS2)));
        assertThat(changed).as("rs2 keeps its counter and maps; only who serves changed")
                .contains("counter " + RS2 + " {", "elements = { 0x00000000, 0x00000002 }");
        // The kernel lists chains in the order they were made, and a hash map's elements in its hash's order, so
        // compare what is there, not where.
        assertThat(pieces(back)).isEqualTo(pieces(whole));
        assertThat(pieces(rebuilt)).as("a full rebuild over an existing table adopts it, not a duplicate")
                .isEqualTo(pieces(whole));
        assertThat(ruleset()).isEmpty();
    }

    @Test
    void shouldTakeExpireNodestConnForIpv6Too() throws Exception {
        VirtualServerConfig v4 = LbFixtures.expiringNodestConn(nat(LbScheduler.RR, 1, 1));
        VirtualServerConfig v6 = new VirtualServerConfig(new io.quorumvip.config.VirtualService.Endpoint(
                LbFixtures.ip("2001:db8::210"), 80), v4.position(), v4.protocol(), v4.scheduler(), v4.method(),
                v4.persistence(), v4.quorum(), v4.hysteresis(), v4.quorumUp(), v4.quorumDown(), v4.haSuspend(),
                v4.alpha(), v4.omega(), v4.hashPort(), v4.smtpAlert(), v4.virtualhost(), v4.sorryServer(),
                v4.sorryInhibit(), true, List.of(LbFixtures.real("2001:db8::51", 80, 1, false),
                        LbFixtures.real("2001:db8::52", 80, 1, false)));

        apply(NftProgramBuilder.build(List.of(plan(v6, true, false))).fullTransaction()).requireSuccess();

        assertThat(ruleset()).contains("table ip6 qvip_lb",
                "meta l4proto tcp ct mark @nodest counter packets 0 bytes 0 reject with tcp reset",
                "dnat to meta mark map @dst__2001_db8_0_0_0_0_0_210__80_tcp:meta mark map"
                        + " @dport__2001_db8_0_0_0_0_0_210__80_tcp",
                String.format("elements = { 0x%08x }",
                        NftProgramBuilder.connMark(NftProgramBuilder.memberCounter(v6,
                                new PoolMember(LbFixtures.ip("2001:db8::52"), 80, 1, false)))));
    }

    @Test
    void shouldTakeTheUntrackedChecksChainsInBothFamilies() throws Exception {
        VirtualServerConfig v4 = NftProgramUntrackedChecksTest.parsed(dir, "192.0.2.210", "NAT", "198.51.100.51",
                "TCP_CHECK { untracked }");
        VirtualServerConfig v6 = NftProgramUntrackedChecksTest.parsed(dir, "2001:db8::210", "NAT", "2001:db8:1::51",
                "HTTP_GET { url { path / } untracked }");

        apply(NftProgramBuilder.build(List.of(plan(v4), plan(v6))).fullTransaction()).requireSuccess();

        String ruleset = ruleset();
        int ip6 = ruleset.indexOf("table ip6 qvip_lb");
        assertThat(ruleset.indexOf("table ip qvip_lb")).as("the ip table, listed first").isBetween(0, ip6);
        for (String table : List.of(ruleset.substring(0, ip6), ruleset.substring(ip6))) {
            assertThat(table).contains("type filter hook output priority raw; policy accept;",
                    "meta mark 0x71766368 notrack", "type filter hook prerouting priority raw; policy accept;",
                    "meta l4proto tcp socket mark 0x71766368 notrack");
        }
    }

    @Test
    void shouldLeaveNothingHalfAppliedWhenTheKernelRefusesPartOfATransaction() throws Exception {
        apply(NftProgramBuilder.build(List.of(plan(nat(LbScheduler.RR, 1, 1)))).fullTransaction()).requireSuccess();
        String before = ruleset();
        String broken = NftProgramBuilder.build(List.of(plan(nat(LbScheduler.RR, 1)))).fullTransaction()
                .replace("\"dnat\"", "\"no_such_statement\"");

        CommandResult refused = apply(broken);

        assertThat(refused.succeeded()).isFalse();
        assertThat(ruleset()).isEqualTo(before);
    }
}
