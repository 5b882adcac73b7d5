package io.quorumvip.config;

import static io.quorumvip.config.ConfigFixture.instance;
import static io.quorumvip.config.ConfigFixture.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeywordAndValueTest {

    @TempDir
    Path dir;

    private ParseResult parseInstance(String... lines) {
        String[] all = new String[lines.length + 3];
        all[0] = "interface eth0";
        all[1] = "virtual_router_id 51";
        all[2] = "virtual_ipaddress { 192.0.2.200 }";
        System.arraycopy(lines, 0, all, 3, lines.length);
        return parse(dir, instance("VI_1", all));
    }

    @Test
    void shouldReportATypoedTopLevelKeywordWithASuggestionAndNotLoseItSilently() {
        Path sample = SharedSamples.samples().resolve("pair-node1.conf");
        Path copy = ConfigFixture.write(dir, "pair-node1.conf",
                ConfigFixture.copyWith(sample, "vrrp_instance VI_1", "vrrp_instace VI_1"));

        ParseResult result = ConfigFixture.parse(copy, ParseOptions.defaults());

        assertThat(result.findings()).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.file()).isEqualTo(copy);
            assertThat(f.line()).isEqualTo(12);
            assertThat(f.column()).isEqualTo(1);
            assertThat(f.message()).isEqualTo("unknown keyword `vrrp_instace` in the top level; its block is "
                    + "checked as `vrrp_instance`");
            assertThat(f.hint()).startsWith("did you mean `vrrp_instance`?");
        });
        assertThat(result.usableConfig()).isEmpty();
        assertThat(result.config().instance("VI_1")).isPresent();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "priorty 100       | unknown keyword `priorty` in vrrp_instance | did you mean `priority`?",
        "virtual_routerid 5| unknown keyword `virtual_routerid` in vrrp_instance | did you mean `virtual_router_id`?",
        "nopremept         | unknown keyword `nopremept` in vrrp_instance | did you mean `nopreempt`?",
        "advert_itn 1      | unknown keyword `advert_itn` in vrrp_instance | did you mean `advert_int`?",
    })
    void shouldSuggestTheNearestInstanceKeyword(String line, String message, String hint) {
        ParseResult result = parseInstance(line.strip());

        assertThat(result.errors()).extracting(Finding::line, Finding::message, Finding::hint)
                .containsExactly(tuple(5, message, hint));
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "=>", value = {
        "virtual_router_id 300 => virtual_router_id 300 is out of range (expected 1..255)",
        "priority 0            => priority 0 is out of range (expected 1..255)",
        "priority high         => priority high is not a whole number (expected 1..255)",
        "advert_int 0          => advert_int 0 is out of range (expected 0.01..255 seconds)",
        "advert_int 1.0000005  => advert_int 1.0000005 is finer than 0.000001 s (expected 0.01..255 seconds)",
        "advert_int fast       => advert_int fast is not a number of seconds (expected 0.01..255 seconds)",
        "version 4             => version 4 is out of range (expected 2..3)",
        "preempt_delay 1001    => preempt_delay 1001 is out of range (expected 0..1000 seconds)",
        "garp_master_repeat 0  => garp_master_repeat 0 is out of range (expected 1..1000)",
        "unicast_src_ip lb01   => unicast_src_ip lb01 is not an IP address (expected an IPv4 address like 192.0.2.10 or an IPv6 address)",
        "interface eth0/1      => interface eth0/1 is not a valid interface name (expected 1..15 characters, no `/` or space)",
    })
    void shouldRejectABadValueNamingKeywordValueAndRange(String line, String message) {
        ParseResult result = parseInstance(line.strip());

        assertThat(result.errors()).extracting(Finding::line, Finding::message).containsExactly(tuple(5, message));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "192.0.2.300              | virtual_ipaddress entry `192.0.2.300` is not an IP address (expected ADDR[/PREFIX] like 192.0.2.200/24)",
        "192.0.2.201/33           | prefix length of 192.0.2.201 33 is out of range (expected 0..32)",
        "192.0.2.201 dev          | `dev` in virtual_ipaddress entry `192.0.2.201` needs a value",
    })
    void shouldRejectABadVirtualAddressLine(String line, String message) {
        ParseResult result = parse(dir, instance("VI_1", "interface eth0", "virtual_router_id 51",
                "virtual_ipaddress {", line.strip(), "}"));

        assertThat(result.errors()).extracting(Finding::line, Finding::message).containsExactly(tuple(5, message));
    }

    @Test
    void shouldReadEveryPartOfAVirtualAddressLine() {
        ParseResult result = parse(dir, instance("VI_1", "interface eth0", "virtual_router_id 51",
                "virtual_ipaddress {", "192.0.2.201/24 brd 192.0.2.255 dev eth1 scope link label eth1:vip", "}",
                "virtual_ipaddress_excluded {", "2001:db8::1", "192.0.2.202 no_track", "}"));

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).extracting(Finding::line, Finding::message)
                .containsExactly(tuple(9, "not supported yet: `no_track`"));
        VrrpInstanceConfig vi = result.config().instance("VI_1").orElseThrow();
        VirtualIpAddress vip = vi.virtualIpAddresses().get(0);
        assertThat(vip.cidr()).isEqualTo("192.0.2.201/24");
        assertThat(vip.broadcast()).contains("192.0.2.255");
        assertThat(vip.device()).contains("eth1");
        assertThat(vip.scope()).contains("link");
        assertThat(vip.label()).contains("eth1:vip");
        assertThat(vi.excludedVirtualIpAddresses()).extracting(VirtualIpAddress::cidr)
                .containsExactly("2001:db8:0:0:0:0:0:1/128", "192.0.2.202/32");
    }

    @Test
    void shouldTruncateALongAuthPassWithAWarningLikeKeepalived() {
        ParseResult result = parseInstance("authentication {", "auth_type PASS", "auth_pass 0123456789", "}");

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).extracting(Finding::line, Finding::message)
                .containsExactly(tuple(7, "auth_pass is 10 characters; only the first 8 are used"));
        assertThat(result.config().instance("VI_1").orElseThrow().authentication())
                .contains(new Authentication(AuthType.PASS, "01234567"));
    }

    @Test
    void shouldRunAnUnknownAuthTypeWithoutAuthenticationLikeKeepalived() {
        ParseResult result = parseInstance("authentication {", "auth_type pass", "auth_pass x", "}");

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).extracting(Finding::line, Finding::message).containsExactly(
                tuple(6, "auth_type pass is not an authentication type (expected PASS or AH); adverts carry no "
                        + "authentication, as keepalived does"));
        assertThat(result.config().instance("VI_1").orElseThrow().authentication()).isEmpty();
    }

    @Test
    void shouldApplyKeepalivedDefaultsToAnInstance() {
        VrrpInstanceConfig vi = parseInstance().configOrThrow().instance("VI_1").orElseThrow();

        assertThat(vi.state()).isEqualTo(InitialState.BACKUP);
        assertThat(vi.priority()).isEqualTo(100);
        assertThat(vi.advertInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(vi.version()).isEqualTo(2);
        assertThat(vi.authentication()).isEmpty();
        assertThat(vi.garp()).isEqualTo(new GarpSettings(Duration.ofSeconds(5), 5, Duration.ZERO, 1));
        assertThat(vi.preemptDelay()).isEqualTo(Duration.ZERO);
        assertThat(vi.nopreempt()).isFalse();
        assertThat(vi.notifyScripts()).isEqualTo(NotifyScripts.NONE);
    }

    @Test
    void shouldTakeGarpAndVersionDefaultsFromGlobalDefsEvenWhenWrittenAfterTheInstance() {
        ParseResult result = parse(dir, instance("VI_1", "interface eth0", "virtual_router_id 51",
                "virtual_ipaddress { 192.0.2.200 }", "garp_master_repeat 2") + """
                global_defs {
                    vrrp_version 3
                    vrrp_garp_master_delay 10
                    vrrp_garp_master_repeat 3
                    vrrp_garp_master_refresh 60
                    vrrp_garp_master_refresh_repeat 2
                }
                """);

        VrrpInstanceConfig vi = result.configOrThrow().instance("VI_1").orElseThrow();
        assertThat(vi.version()).isEqualTo(3);
        assertThat(vi.garp()).isEqualTo(new GarpSettings(Duration.ofSeconds(10), 2, Duration.ofSeconds(60), 2));
    }

    @Test
    void shouldKeepCentisecondsOfAFractionalAdvertIntervalInVersion3() {
        VrrpInstanceConfig vi = parseInstance("version 3", "advert_int 0.25").configOrThrow().instance("VI_1")
                .orElseThrow();

        assertThat(vi.advertIntervalCentiseconds()).isEqualTo(25);
        assertThat(vi.advertInterval()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void shouldRoundAFractionalAdvertIntervalInVersion2WithAWarning() {
        ParseResult result = parseInstance("advert_int 1.5");

        assertThat(result.warnings()).extracting(Finding::line, Finding::message).containsExactly(tuple(5,
                "advert_int 1.5 has a fraction, but VRRPv2 adverts carry whole seconds; 2 s is used"));
        assertThat(result.config().instance("VI_1").orElseThrow().advertIntervalCentiseconds()).isEqualTo(200);
    }

    @Test
    void shouldCapAVersion3AdvertIntervalAt4095CentisecondsLikeKeepalived() {
        ParseResult result = parseInstance("version 3", "advert_int 41");

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).extracting(Finding::message).containsExactly("advert_int 41 is out of range "
                + "for VRRPv3 (expected 0.01..40.95 seconds); 40.95 s is used, as keepalived does");
        assertThat(result.config().instance("VI_1").orElseThrow().advertIntervalCentiseconds()).isEqualTo(4095);
    }

    @Test
    void shouldWarnWhenAKeywordIsSetTwice() {
        ParseResult result = parseInstance("priority 100", "priority 150");

        assertThat(result.warnings()).extracting(Finding::line, Finding::message).containsExactly(
                tuple(6, "`priority` is set again in vrrp_instance (first at line 5); the last one wins"));
        assertThat(result.config().instance("VI_1").orElseThrow().priority()).isEqualTo(150);
    }

    @Test
    void shouldWarnThatAnUnquotedSecondWordOfANotifyScriptIsTheUser() {
        ParseResult result = parseInstance("notify_master /usr/local/bin/notify.sh master");

        assertThat(result.warnings()).extracting(Finding::message).containsExactly(
                "`master` after notify_master is read as the user to run the script as, not as its arguments");
    }

    @Test
    void shouldWarnAboutKnownButUnsupportedKeywordsAndKeepTheRest() {
        ParseResult result = parseInstance("use_vmac_addr", "track_bfd {", "bfd_1", "}",
                "track_interface {", "eth1 weight 10 reverse", "}");

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).extracting(Finding::line, Finding::message).containsExactly(
                tuple(5, "not supported yet: `use_vmac_addr`"),
                tuple(6, "not supported yet: `track_bfd`"));
        assertThat(result.config().instance("VI_1").orElseThrow().trackInterfaces())
                .extracting(TrackedInterface::interfaceName, TrackedInterface::weight, TrackedInterface::reverse)
                .containsExactly(tuple("eth1", 10, true));
    }

    @Test
    void shouldRejectAVrrpScriptWeightOutOfRange() {
        ParseResult result = parse(dir, "vrrp_script chk {\n script /bin/true\n weight 254\n}\n");

        assertThat(result.errors()).extracting(Finding::line, Finding::message)
                .containsExactly(tuple(3, "weight 254 is out of range (expected -253..253)"));
    }

    @Test
    void shouldRejectABlockWhereNoneBelongsAndAMissingBlock() {
        ParseResult result = parse(dir, "global_defs {\n router_id x { y }\n}\nvrrp_instance VI_1\n");

        assertThat(result.errors()).extracting(Finding::line, Finding::message).containsExactly(
                tuple(2, "`router_id` does not take a block"),
                tuple(4, "`vrrp_instance` needs a block"));
    }
}
