package io.quorumvip.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.net.InetAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What keepalived 2.2 runs, we run: each class of configuration we used to refuse now starts, with a warning that
 * says what keepalived does with it (docs/configuration.md, "Where keepalived and quorum-vip differ").
 */
class KeepalivedParityTest {

    @TempDir
    Path dir;

    private ParseResult parseInstance(String... lines) {
        return ConfigFixture.parse(dir, ConfigFixture.instance("VI_1", lines));
    }

    private static VrrpInstanceConfig vi1(ParseResult result) {
        assertThat(result.errors()).isEmpty();
        return result.usableConfig().orElseThrow().instance("VI_1").orElseThrow();
    }

    @Test
    void shouldRunAnInstanceWithoutInterfaceOnKeepalivedsDefaultInterface() {
        ParseResult result = parseInstance("virtual_router_id 51", "virtual_ipaddress { 192.0.2.200 }");

        assertThat(vi1(result).interfaceName()).isEqualTo("eth0");
        assertThat(result.warnings()).extracting(Finding::line, Finding::message).containsExactly(tuple(1,
                "vrrp_instance `VI_1` has no `interface`; eth0 is used, keepalived's default_interface"));
    }

    @Test
    void shouldTakeTheDefaultInterfaceFromGlobalDefs() {
        ParseResult result = ConfigFixture.parse(dir, "global_defs {\n    default_interface bond0\n}\n"
                + ConfigFixture.instance("VI_1", "virtual_router_id 51", "virtual_ipaddress { 192.0.2.200 }"));

        assertThat(vi1(result).interfaceName()).isEqualTo("bond0");
    }

    @Test
    void shouldUseASourceAddressWrittenWithAPrefixLength() {
        ParseResult result = parseInstance("interface eth0", "virtual_router_id 51", "mcast_src_ip 192.0.2.11/24",
                "virtual_ipaddress { 192.0.2.200 }");

        assertThat(vi1(result).multicastSourceIp()).map(InetAddress::getHostAddress).contains("192.0.2.11");
        assertThat(result.warnings()).extracting(Finding::message).containsExactly(
                "the prefix length in `mcast_src_ip 192.0.2.11/24` is ignored, as keepalived does");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2 | 0.5   | 100 | advert_int 0.5 has a fraction, but VRRPv2 adverts carry whole seconds; 1 s is used",
        "2 | 0.01  | 100 | advert_int 0.01 has a fraction, but VRRPv2 adverts carry whole seconds; 1 s is used",
        "2 | 2.5   | 300 | advert_int 2.5 has a fraction, but VRRPv2 adverts carry whole seconds; 3 s is used",
        "3 | 0.015 |   2 | advert_int 0.015 is finer than VRRPv3's hundredths of a second; 0.02 s is used, as keepalived does",
        "3 | 0.011 |   1 | advert_int 0.011 is finer than VRRPv3's hundredths of a second; 0.01 s is used, as keepalived does",
    })
    void shouldRoundAnAdvertIntervalToWhatTheVersionCarries(int version, String written, int centiseconds,
                                                            String warning) {
        ParseResult result = parseInstance("interface eth0", "virtual_router_id 51", "version " + version,
                "advert_int " + written, "virtual_ipaddress { 192.0.2.200 }");

        assertThat(vi1(result).advertIntervalCentiseconds()).isEqualTo(centiseconds);
        assertThat(result.warnings()).extracting(Finding::message).containsExactly(warning);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "state master | state master is not a VRRP state (expected MASTER or BACKUP); BACKUP is used, as keepalived does",
        "state SLAVE  | state SLAVE is not a VRRP state (expected MASTER or BACKUP); BACKUP is used, as keepalived does",
    })
    void shouldStartAnUnknownStateAsBackupLikeKeepalived(String line, String warning) {
        ParseResult result = parseInstance("interface eth0", "virtual_router_id 51", line.strip(),
                "virtual_ipaddress { 192.0.2.200 }");

        assertThat(vi1(result).state()).isEqualTo(InitialState.BACKUP);
        assertThat(result.warnings()).extracting(Finding::message).containsExactly(warning);
    }

    @Test
    void shouldIgnoreAnUnknownAddressScopeLikeKeepalived() {
        ParseResult result = parseInstance("interface eth0", "virtual_router_id 51",
                "virtual_ipaddress { 192.0.2.200 scope world }");

        assertThat(vi1(result).virtualIpAddresses()).singleElement()
                .satisfies(v -> assertThat(v.scope()).isEmpty());
        assertThat(result.warnings()).extracting(Finding::message).containsExactly("scope world is not a scope "
                + "(expected one of global, host, link, nowhere, site); it is ignored and the address gets scope "
                + "global, as keepalived does");
    }

    @Test
    void shouldKnowKeepalivedsOlderSpellingsAndReportThemAsNotSupportedYet() {
        ParseResult result = ConfigFixture.parse(dir, "global_defs {\n    enable_snmp_keepalived\n"
                + "    lvs_flush_onstop\n    vrrp_rlimit_rtime 1000\n}\n"
                + ConfigFixture.instance("VI_1", "interface eth0", "lvs_sync_daemon_inteface eth0",
                "virtual_router_id 51", "notify_master_rx_lower_pri /bin/true", "vrrp_track_file {", "    f1",
                "}", "virtual_ipaddress { 192.0.2.200 }"));

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).extracting(Finding::line, Finding::message).containsExactly(
                tuple(2, "not supported yet: `enable_snmp_keepalived`"),
                tuple(3, "not supported yet: `lvs_flush_onstop`"),
                tuple(4, "not supported yet: `vrrp_rlimit_rtime`"),
                tuple(8, "not supported yet: `lvs_sync_daemon_inteface`"),
                tuple(10, "not supported yet: `notify_master_rx_lower_pri`"),
                tuple(11, "not supported yet: `vrrp_track_file`"));
    }

    @Test
    void shouldIgnoreAKeywordOfAnotherBlockWithAWarningAsKeepalivedDoes() {
        ParseResult result = ConfigFixture.parse(dir, "global_defs {\n    garp_master_delay 3\n}\n"
                + ConfigFixture.instance("VI_1", "interface eth0", "virtual_router_id 51", "router_id lb01",
                "virtual_ipaddress { 192.0.2.200 }"));

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).extracting(Finding::line, Finding::message).containsExactly(
                tuple(2, "`garp_master_delay` belongs in vrrp_instance, not in global_defs; it is ignored here, as "
                        + "keepalived does"),
                tuple(7, "`router_id` belongs in global_defs, not in vrrp_instance; it is ignored here, as "
                        + "keepalived does"));
        assertThat(result.config().globalDefs().routerId()).isEmpty();
    }

    @Test
    void shouldIgnoreWordsAfterTheValueAsKeepalivedDoesButNotInOurOwnBlocks() {
        ParseResult result = ConfigFixture.parse(dir, ConfigFixture.instance("VI_1", "interface eth0",
                "virtual_router_id 51", "state BACKUP or MASTER", "nopreempt yes",
                "virtual_ipaddress { 192.0.2.200 }") + "quorum {\n    connect 192.0.2.21:2181 192.0.2.22:2181\n}\n");

        assertThat(result.warnings()).extracting(Finding::line, Finding::message).containsExactly(
                tuple(4, "`state` takes at most 1 value, got 3: `state BACKUP or MASTER`; the rest is ignored, as "
                        + "keepalived does"),
                tuple(5, "`nopreempt` takes no value, got 1: `nopreempt yes`; the rest is ignored, as keepalived "
                        + "does"));
        assertThat(result.config().instance("VI_1").orElseThrow().state()).isEqualTo(InitialState.BACKUP);
        assertThat(result.errors()).extracting(Finding::line, Finding::message).contains(tuple(9,
                "`connect` takes at most 1 value, got 2: `connect 192.0.2.21:2181 192.0.2.22:2181`"));
    }

    @Test
    void shouldKeepAnAddressWhoseLineHasAnUnknownWordLikeKeepalived() {
        ParseResult result = parseInstance("interface eth0", "virtual_router_id 51",
                "virtual_ipaddress { 192.0.2.200 255.255.255.0 lable eth0:1 }");

        assertThat(vi1(result).virtualIpAddresses()).extracting(VirtualIpAddress::cidr)
                .containsExactly("192.0.2.200/32");
        assertThat(result.warnings()).extracting(Finding::message, Finding::hint).containsExactly(
                tuple("unknown option `255.255.255.0` in virtual_ipaddress entry `192.0.2.200`; it is ignored, as "
                        + "keepalived does", "valid options: dev, label, brd, scope"),
                tuple("unknown option `lable` in virtual_ipaddress entry `192.0.2.200`; it is ignored, as "
                        + "keepalived does", "did you mean `label`?"),
                tuple("unknown option `eth0:1` in virtual_ipaddress entry `192.0.2.200`; it is ignored, as "
                        + "keepalived does", "valid options: dev, label, brd, scope"));
    }

    @Test
    void shouldIgnoreAWordThatIsNotABooleanLikeKeepalived() {
        ParseResult result = parseInstance("interface eth0", "virtual_router_id 51", "smtp_alert maybe",
                "virtual_ipaddress { 192.0.2.200 }");

        assertThat(vi1(result).smtpAlert()).isFalse();
        assertThat(result.warnings()).extracting(Finding::message).containsExactly(
                "smtp_alert maybe is not a boolean (expected on|off|true|false|yes|no); it is ignored, as keepalived "
                        + "does");
    }

    @Test
    void shouldRunAnIncompleteAuthenticationBlockWithoutAuthenticationLikeKeepalived() {
        ParseResult result = parseInstance("interface eth0", "virtual_router_id 51", "authentication {",
                "    auth_type PASS", "}", "virtual_ipaddress { 192.0.2.200 }");

        assertThat(vi1(result).authentication()).isEmpty();
        assertThat(result.warnings()).extracting(Finding::line, Finding::message).containsExactly(tuple(4,
                "authentication block in `VI_1` needs both auth_type and auth_pass; adverts carry no "
                        + "authentication, as keepalived does"));
    }

    @Test
    void shouldUseTheFirstOfTwoScriptsWithOneNameLikeKeepalived() {
        ParseResult result = ConfigFixture.parse(dir, "vrrp_script chk {\n    script /bin/true\n}\n"
                + "vrrp_script chk {\n    script /bin/false\n}\n");

        assertThat(result.errors()).isEmpty();
        assertThat(result.config().vrrpScripts().get("chk").script()).isEqualTo("/bin/true");
        assertThat(result.warnings()).extracting(Finding::line, Finding::message).containsExactly(tuple(4,
                "vrrp_script `chk` is defined twice (first at " + dir.resolve("keepalived.conf") + ":1:1); the "
                        + "first is used, as keepalived does"));
    }
}
