package io.quorumvip.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class UpstreamSamplesTest {

    static Stream<Path> upstreamSamples() {
        return SharedSamples.list(SharedSamples.upstreamSamples(), "keepalived.conf.*").stream();
    }

    private static ParseResult parse(String name) throws IOException {
        return KeepalivedConfigParser.parse(SharedSamples.upstreamSamples().resolve(name));
    }

    @ParameterizedTest
    @MethodSource("upstreamSamples")
    void shouldParseEveryUpstreamSampleWithoutError(Path sample) throws IOException {
        ParseResult result = KeepalivedConfigParser.parse(sample);

        assertThat(result.errors()).isEmpty();
        assertThat(result.findings()).allSatisfy(f -> {
            assertThat(f.file()).isEqualTo(sample);
            assertThat(f.line()).isPositive();
            assertThat(f.column()).isPositive();
        });
    }

    @Test
    void shouldReadTheVirtualServerOfTheSampleWithNoFinding() throws IOException {
        ParseResult result = parse("keepalived.conf.sample");

        assertThat(result.findings()).isEmpty();
        assertThat(result.config().vrrpInstances()).extracting(VrrpInstanceConfig::name).containsExactly("VI_1");
        assertThat(result.config().loadBalancing().virtualServers()).extracting(VirtualServerConfig::name)
                .containsExactly("10.10.10.2:1358/tcp");
    }

    @Test
    void shouldReadBothSyncGroupsOfTheSampleWithTheirNotifyScripts() throws IOException {
        ParseResult result = parse("keepalived.conf.vrrp.sync");

        assertThat(result.findings()).isEmpty();
        assertThat(result.config().vrrpInstances()).hasSize(9);
        assertThat(result.config().syncGroups()).extracting(SyncGroupConfig::name, g -> g.members().size())
                .containsExactly(tuple("G1", 7), tuple("G2", 2));
        assertThat(result.config().syncGroups().get(0).notifyScripts().master())
                .hasValueSatisfying(n -> assertThat(n.command()).isEqualTo("/usr/local/bin/vrrp.mast arg1 arg2"));
    }

    @Test
    void shouldReadStaticAndVirtualRoutesAndSayWhichRouteIsLeftOut() throws IOException {
        ParseResult result = parse("keepalived.conf.vrrp.routes");

        assertThat(result.warnings()).extracting(Finding::line, Finding::column, Finding::message).containsExactly(
                tuple(30, 46, "not supported yet: `or` in route `192.168.113.0/24 via 192.168.100.252 or "
                        + "192.168.100.253`; the route is left out"));
        assertThat(result.config().staticRouting().routes()).hasSize(5);
        assertThat(result.config().instance("VI_1").orElseThrow().virtualRoutes()).hasSize(6);
        assertThat(result.config().instance("VI_1").orElseThrow().virtualIpAddresses())
                .extracting(v -> v.device().orElse("-")).containsExactly("-", "eth1", "eth2");
    }

    @Test
    void shouldWarnAboutUnsupportedInstanceKeywordsInsideAnInstance() throws IOException {
        assertThat(parse("keepalived.conf.vrrp.lvs_syncd").warnings())
                .extracting(Finding::line, Finding::message)
                .contains(tuple(11, "not supported yet: `lvs_sync_daemon_interface`"));
        assertThat(parse("keepalived.conf.vrrp.static_ipaddress").warnings())
                .extracting(Finding::line, Finding::message)
                .isEmpty();
    }

    @Test
    void shouldReadTheConditionalSampleForTheDefaultConfigId() throws IOException {
        ParseResult result = parse("keepalived.conf.conditional_conf");

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).extracting(Finding::line, Finding::message).containsExactly(
                tuple(6, "vrrp_script `check_VI_0` has no `script`; it is dropped, as keepalived does"),
                tuple(25, "track_script `check_VI_0` refers to a vrrp_script that was dropped; it is not tracked"));
        VrrpInstanceConfig instance = result.config().instance("VI_0").orElseThrow();
        assertThat(instance.priority()).isEqualTo(VrrpInstanceConfig.DEFAULT_PRIORITY);
        assertThat(instance.version()).isEqualTo(3);
        assertThat(instance.advertIntervalCentiseconds()).isEqualTo(1200);
        assertThat(instance.useVmac()).map(UseVmac::interfaceName).contains("vrrp.1");
        assertThat(instance.trackInterfaces()).extracting(TrackedInterface::interfaceName, TrackedInterface::weight)
                .containsExactly(tuple("eth3", 0), tuple("eth2", 20));
    }

    @Test
    void shouldTakeTheLinesOfTheGivenConfigId() throws IOException {
        Path file = SharedSamples.upstreamSamples().resolve("keepalived.conf.conditional_conf");
        ParseResult result = KeepalivedConfigParser.parse(file, ParseOptions.defaults().withConfigId("high"));

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).extracting(Finding::line, Finding::column, Finding::message).containsExactly(
                tuple(3, 7, "not supported yet: `net_namespace`"));
        assertThat(result.config().vrrpScripts().get("check_VI_0").script())
                .isEqualTo("/etc/keepalived/scripts/check_high_VI_0.sh");
        VrrpInstanceConfig instance = result.config().instance("VI_0").orElseThrow();
        assertThat(instance.priority()).isEqualTo(170);
        assertThat(instance.trackScripts()).extracting(TrackedScript::scriptName).containsExactly("check_VI_0");
    }

    @Test
    void shouldKeepEveryInstanceOfTheLocalCheckSampleWithItsTracking() throws IOException {
        ParseResult result = parse("keepalived.conf.vrrp.localcheck");

        assertThat(result.findings()).isEmpty();
        VrrpInstanceConfig vi1 = result.config().instance("VI_1").orElseThrow();
        assertThat(vi1.trackScripts()).extracting(TrackedScript::scriptName, t -> t.weight().orElse(99))
                .containsExactly(tuple("chk_sshd", 99), tuple("chk_haproxy", 2), tuple("chk_http_port", 99),
                        tuple("chk_https_port", 99), tuple("chk_smtp_port", 99));
        assertThat(vi1.trackInterfaces()).extracting(TrackedInterface::weight).containsExactly(2, -2, 0);
        assertThat(result.config().vrrpScripts().get("chk_http_port").script())
                .isEqualTo("</dev/tcp/127.0.0.1/80");
    }
}
