package io.quorumvip.config;

import static io.quorumvip.config.ConfigFixture.instance;
import static io.quorumvip.config.ConfigFixture.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrossFieldChecksTest {

    @TempDir
    Path dir;

    private static String vi(String name, int vrid, String vip, String... extra) {
        String[] lines = new String[extra.length + 3];
        lines[0] = "interface eth0";
        lines[1] = "virtual_router_id " + vrid;
        lines[2] = "virtual_ipaddress { " + vip + " }";
        System.arraycopy(extra, 0, lines, 3, extra.length);
        return instance(name, lines);
    }

    @Test
    void shouldKeepTheFirstOfTwoInstancesWithOneNameLikeKeepalived() {
        ParseResult result = parse(dir, vi("VI_1", 51, "192.0.2.200") + vi("VI_1", 52, "192.0.2.201"));

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).extracting(Finding::line, Finding::message).containsExactly(tuple(6,
                "vrrp_instance `VI_1` is defined twice (first at " + dir.resolve("keepalived.conf") + ":1:1); this "
                        + "one is ignored, as keepalived does"));
        assertThat(result.config().instance("VI_1").orElseThrow().virtualRouterId()).isEqualTo(51);
    }

    @Test
    void shouldRunButWarnLoudlyAboutADuplicateVridOnOneInterface() {
        ParseResult result = parse(dir, vi("VI_1", 51, "192.0.2.200") + vi("VI_2", 51, "192.0.2.201"));

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).extracting(Finding::line, Finding::message).containsExactly(tuple(6,
                "SPLIT-BRAIN RISK: virtual_router_id 51 on eth0 is used by both `VI_1` (line 1) and `VI_2`: each "
                        + "takes the other's adverts for its own, so the two can be MASTER at once"));
        assertThat(result.usableConfig()).isPresent();
    }

    @Test
    void shouldAllowOneVridOnTwoInterfaces() {
        ParseResult result = parse(dir, vi("VI_1", 51, "192.0.2.200")
                + vi("VI_2", 51, "192.0.2.201").replace("interface eth0", "interface eth1"));

        assertThat(result.findings()).isEmpty();
    }

    @Test
    void shouldWarnAboutATrackScriptNamingNoVrrpScriptAndSuggestTheNearest() {
        ParseResult result = parse(dir, "vrrp_script chk_nginx {\n script /bin/true\n}\n"
                + vi("VI_1", 51, "192.0.2.200", "track_script {", "chk_ngnix", "}"));

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).extracting(Finding::line, Finding::message, Finding::hint).containsExactly(
                tuple(9, "track_script `chk_ngnix` names no vrrp_script; it is not tracked, as keepalived does",
                        "did you mean `chk_nginx`?"));
        assertThat(result.config().instance("VI_1").orElseThrow().trackScripts()).isEmpty();
    }

    @Test
    void shouldWarnAboutPriority255WithStateBackup() {
        ParseResult result = parse(dir, vi("VI_1", 51, "192.0.2.200", "state BACKUP", "priority 255"));

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).extracting(Finding::line, Finding::message)
                .containsExactly(tuple(6, "priority 255 (address owner) with state BACKUP in `VI_1`"));
    }

    @Test
    void shouldWarnThatNopreemptOnlyWorksFromBackup() {
        ParseResult result = parse(dir, vi("VI_1", 51, "192.0.2.200", "state MASTER", "nopreempt"));

        assertThat(result.warnings()).extracting(Finding::line, Finding::message, Finding::hint).containsExactly(
                tuple(6, "nopreempt with state MASTER in `VI_1`",
                        "nopreempt only works from state BACKUP: set `state BACKUP` on every node"));
    }

    @Test
    void shouldWarnAboutMoreThan20AddressesInVersion2Only() {
        String many = IntStream.rangeClosed(1, 21).mapToObj(i -> "192.0.2." + (199 + i))
                .collect(Collectors.joining("\n"));

        ParseResult v2 = parse(dir, vi("VI_1", 51, "\n" + many + "\n"));
        ParseResult v3 = parse(dir, vi("VI_1", 51, "\n" + many + "\n", "version 3"));

        assertThat(v2.warnings()).extracting(Finding::line, Finding::message).containsExactly(
                tuple(25, "vrrp_instance `VI_1` has 21 virtual addresses; VRRPv2 adverts carry at most 20"));
        assertThat(v3.findings()).isEmpty();
    }

    @Test
    void shouldRunButWarnLoudlyAboutOneAddressInTwoInstancesWithDifferentVrids() {
        ParseResult result = parse(dir, vi("VI_1", 51, "192.0.2.200")
                + vi("VI_2", 52, "192.0.2.200").replace("interface eth0", "interface eth1"));

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).extracting(Finding::line, Finding::message).containsExactly(tuple(9,
                "SPLIT-BRAIN RISK: 192.0.2.200 is in `VI_1` (virtual_router_id 51) and in `VI_2` "
                        + "(virtual_router_id 52): two virtual routers may both own it at once"));
        assertThat(result.usableConfig()).isPresent();
    }

    @Test
    void shouldRejectAnInstanceWithoutVridAndLeaveItOut() {
        ParseResult result = parse(dir, instance("VI_1", "virtual_ipaddress { 192.0.2.200 }"));

        assertThat(result.errors()).extracting(Finding::line, Finding::message).containsExactly(
                tuple(1, "vrrp_instance `VI_1` has no `virtual_router_id`"));
        assertThat(result.config().vrrpInstances()).isEmpty();
    }

    @Test
    void shouldLeaveOutAnAddressOfTheOtherFamilyAndForceVersion3ForIpv6() {
        ParseResult mixed = parse(dir, vi("VI_1", 51, "\n2001:db8::1\n192.0.2.200\n"));
        ParseResult ipv6 = parse(dir, vi("VI_1", 51, "2001:db8::1"));
        ParseResult ipv6v2 = parse(dir, vi("VI_1", 51, "2001:db8::1", "version 2"));

        assertThat(mixed.warnings()).extracting(Finding::message).containsExactly(
                "192.0.2.200 is not of the family of `VI_1`'s first address; it is left out, as keepalived does");
        assertThat(mixed.configOrThrow().instance("VI_1").orElseThrow().virtualIpAddresses())
                .extracting(VirtualIpAddress::cidr).containsExactly("2001:db8:0:0:0:0:0:1/128");
        assertThat(ipv6.configOrThrow().instance("VI_1").orElseThrow().version()).isEqualTo(3);
        assertThat(ipv6v2.warnings()).extracting(Finding::message).containsExactly(
                "vrrp_instance `VI_1` has IPv6 addresses but version 2; version 3 is used, as keepalived does");
        assertThat(ipv6v2.configOrThrow().instance("VI_1").orElseThrow().version()).isEqualTo(3);
    }

    @Test
    void shouldIgnoreAuthenticationInVersion3WithAWarning() {
        ParseResult result = parse(dir, vi("VI_1", 51, "192.0.2.200", "version 3",
                "authentication { auth_type PASS", "auth_pass 1111 }"));

        assertThat(result.warnings()).extracting(Finding::message).containsExactly(
                "VRRPv3 has no authentication; this block is ignored, as keepalived does");
        assertThat(result.config().instance("VI_1").orElseThrow().authentication()).isEmpty();
    }

    @Test
    void shouldWarnAboutAnInstanceWithoutAddresses() {
        ParseResult result = parse(dir, instance("VI_1", "interface eth0", "virtual_router_id 51"));

        assertThat(result.warnings()).extracting(Finding::message)
                .containsExactly("vrrp_instance `VI_1` has no virtual_ipaddress");
    }
}
