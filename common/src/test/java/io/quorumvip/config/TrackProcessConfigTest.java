package io.quorumvip.config;

import static io.quorumvip.config.ConfigFixture.instance;
import static io.quorumvip.config.ConfigFixture.parse;
import static io.quorumvip.config.ConfigFixture.parseClean;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackProcessConfigTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadAVrrpTrackProcessWithKeepalivedsDefaultsAndTheInstancesOverride() {
        KeepalivedConfig config = parseClean(dir, """
                vrrp_track_process chk_haproxy {
                    process haproxy -f "/etc/haproxy/haproxy.cfg"
                    param_match partial
                    quorum 2
                    quorum_max 4
                    delay 1.5
                    terminate_delay 3
                }
                """ + instance("VI_1", "interface eth0", "virtual_router_id 51",
                "virtual_ipaddress { 192.0.2.100 }", "track_process {", "chk_haproxy weight -30", "}"));

        VrrpTrackProcess process = config.trackProcesses().get("chk_haproxy");
        assertThat(process.process()).isEqualTo("haproxy");
        assertThat(process.parameters()).containsExactly("-f", "/etc/haproxy/haproxy.cfg");
        assertThat(process.paramMatch()).isEqualTo(Optional.of("partial"));
        assertThat(process.weight()).isEqualTo(1);
        assertThat(process.quorum()).isEqualTo(2);
        assertThat(process.quorumMax()).isEqualTo(OptionalInt.of(4));
        assertThat(process.forkDelay()).isEqualTo(Duration.ofMillis(1_500));
        assertThat(process.terminateDelay()).isEqualTo(Duration.ofSeconds(3));
        assertThat(process.fullCommand()).isFalse();
        assertThat(config.vrrpInstances().get(0).trackProcesses()).singleElement()
                .satisfies(t -> assertThat(t.effectiveWeight(process)).isEqualTo(-30));
    }

    @Test
    void shouldRefuseAQuorumMaxBelowTheQuorum() {
        ParseResult result = parse(dir, """
                vrrp_track_process p {
                    process nginx
                    quorum 3
                    quorum_max 2
                }
                """);

        assertThat(result.findings()).anySatisfy(finding -> {
            assertThat(finding.severity()).isEqualTo(Severity.ERROR);
            assertThat(finding.message()).isEqualTo(
                    "vrrp_track_process `p` has quorum_max 2 below quorum 3, so it could never be up");
        });
    }

    @Test
    void shouldWarnAboutATrackProcessNamingNoVrrpTrackProcess() {
        ParseResult result = parse(dir, instance("VI_1", "interface eth0", "virtual_router_id 51",
                "virtual_ipaddress { 192.0.2.100 }", "track_process {", "nginx", "}"));

        assertThat(result.findings()).extracting(Finding::message).contains(
                "track_process `nginx` names no vrrp_track_process; it is not tracked, as keepalived does");
        assertThat(result.config().vrrpInstances().get(0).trackProcesses()).isEmpty();
    }
}
