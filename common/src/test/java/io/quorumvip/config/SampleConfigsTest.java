package io.quorumvip.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SampleConfigsTest {

    static Stream<Path> samples() {
        return SharedSamples.list(SharedSamples.samples(), "*.conf").stream();
    }

    static Stream<Arguments> pairs() {
        Stream<Arguments> vrrp = Stream.of("pair", "dual-master", "nginx-check")
                .map(name -> Arguments.of(SharedSamples.samples().resolve(name + "-node1.conf"),
                        SharedSamples.samples().resolve(name + "-node2.conf")));
        Stream<Arguments> directors = Stream.of("lvs-dr", "lvs-nat")
                .map(name -> Arguments.of(SharedSamples.lbSamples().resolve(name + "-node1.conf"),
                        SharedSamples.lbSamples().resolve(name + "-node2.conf")));
        return Stream.concat(vrrp, directors);
    }

    static Stream<Path> lbSamples() {
        return SharedSamples.list(SharedSamples.lbSamples(), "*.conf").stream();
    }

    @ParameterizedTest
    @MethodSource({"samples", "lbSamples"})
    void shouldParseEverySampleWithoutAnyFinding(Path sample) throws IOException {
        ParseResult result = KeepalivedConfigParser.parse(sample);

        assertThat(result.findings()).isEmpty();
        assertThat(result.config().vrrpInstances()).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("pairs")
    void shouldFindNoErrorWhenLintingEachPair(Path node1, Path node2) throws IOException {
        List<KeepalivedConfig> configs = List.of(
                KeepalivedConfigParser.parse(node1).configOrThrow(),
                KeepalivedConfigParser.parse(node2).configOrThrow());

        assertThat(ClusterLint.lint(configs)).filteredOn(Finding::isError).isEmpty();
    }

    @Test
    void shouldReadThePairSampleIntoTheModel() throws IOException {
        Path file = SharedSamples.samples().resolve("pair-node1.conf");
        KeepalivedConfig config = KeepalivedConfigParser.parse(file).configOrThrow();

        GlobalDefs global = config.globalDefs();
        assertThat(global.routerId()).contains("lb01");
        assertThat(global.notificationEmail()).containsExactly("ops@example.org");
        assertThat(global.notificationEmailFrom()).contains("keepalived@example.org");
        assertThat(global.smtpServer()).contains(new SmtpServer("127.0.0.1", 25));
        assertThat(global.smtpConnectTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(global.vrrpVersion()).isEqualTo(2);
        assertThat(config.quorum()).isEmpty();

        VrrpInstanceConfig vi1 = config.instance("VI_1").orElseThrow();
        assertThat(vi1.position()).isEqualTo(new SourcePosition(file, 12, 1));
        assertThat(vi1.state()).isEqualTo(InitialState.MASTER);
        assertThat(vi1.interfaceName()).isEqualTo("eth0");
        assertThat(vi1.virtualRouterId()).isEqualTo(66);
        assertThat(vi1.priority()).isEqualTo(150);
        assertThat(vi1.advertIntervalCentiseconds()).isEqualTo(100);
        assertThat(vi1.advertInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(vi1.version()).isEqualTo(2);
        assertThat(vi1.authentication()).contains(new Authentication(AuthType.PASS, "1111"));
        assertThat(vi1.garp()).isEqualTo(GarpSettings.KEEPALIVED_DEFAULTS);
        assertThat(vi1.nopreempt()).isFalse();
        VirtualIpAddress vip = vi1.virtualIpAddresses().get(0);
        assertThat(vip.address()).isEqualTo(InetAddress.getByName("192.0.2.200"));
        assertThat(vip.prefixLength()).isEqualTo(24);
        assertThat(vip.device()).contains("eth0");
        assertThat(vip.label()).contains("eth0:1");
        assertThat(vip.position().line()).isEqualTo(23);
    }

    @Test
    void shouldReadTheNginxCheckScriptAndItsTracking() throws IOException {
        KeepalivedConfig config = KeepalivedConfigParser.parse(SharedSamples.samples()
                .resolve("nginx-check-node1.conf")).configOrThrow();

        VrrpScript script = config.vrrpScripts().get("chk_nginx");
        assertThat(script.script()).isEqualTo("/etc/keepalived/nginx_check.sh");
        assertThat(script.interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(script.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(script.weight()).isEqualTo(-20);
        assertThat(script.rise()).isEqualTo(1);
        assertThat(script.fall()).isEqualTo(1);

        VrrpInstanceConfig instance = config.instance("VI-1").orElseThrow();
        assertThat(instance.nopreempt()).isTrue();
        assertThat(instance.multicastSourceIp()).contains(InetAddress.getByName("192.0.2.11"));
        assertThat(instance.sourceIp()).contains(InetAddress.getByName("192.0.2.11"));
        assertThat(instance.trackScripts()).singleElement().satisfies(t -> {
            assertThat(t.scriptName()).isEqualTo("chk_nginx");
            assertThat(t.effectiveWeight(script)).isEqualTo(-20);
        });
        assertThat(instance.virtualIpAddresses()).singleElement()
                .satisfies(v -> assertThat(v.cidr()).isEqualTo("192.0.2.200/32"));
    }
}
