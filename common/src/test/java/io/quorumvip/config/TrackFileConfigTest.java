package io.quorumvip.config;

import static io.quorumvip.config.ConfigFixture.instance;
import static io.quorumvip.config.ConfigFixture.parse;
import static io.quorumvip.config.ConfigFixture.parseClean;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackFileConfigTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadAVrrpTrackFileAndTheInstancesOverride() {
        KeepalivedConfig config = parseClean(dir, """
                vrrp_track_file force_down {
                    file "/run/qvip/force_down"
                    weight -20
                    init_file 0 overwrite
                }
                """ + instance("VI_1", "interface eth0", "virtual_router_id 51",
                "virtual_ipaddress { 192.0.2.100 }", "track_file {", "force_down weight -30", "}"));

        VrrpTrackFile file = config.trackFiles().get("force_down");
        assertThat(file.path()).isEqualTo(Path.of("/run/qvip/force_down"));
        assertThat(file.weight()).isEqualTo(-20);
        assertThat(file.initValue()).isEqualTo(OptionalLong.of(0));
        assertThat(file.initOverwrite()).isTrue();
        TrackedFile tracked = config.vrrpInstances().get(0).trackFiles().get(0);
        assertThat(tracked.effectiveWeight(file)).isEqualTo(-30);
    }

    @Test
    void shouldReadTheOlderTopLevelTrackFileSpellingWithWeightOne() {
        KeepalivedConfig config = parseClean(dir, """
                track_file maintenance {
                    file "/run/qvip/maintenance"
                }
                """ + instance("VI_1", "interface eth0", "virtual_router_id 51",
                "virtual_ipaddress { 192.0.2.100 }", "track_file {", "maintenance", "}"));

        VrrpTrackFile file = config.trackFiles().get("maintenance");
        assertThat(config.vrrpInstances().get(0).trackFiles().get(0).effectiveWeight(file)).isEqualTo(1);
        assertThat(file.initValue()).isEmpty();
    }

    @Test
    void shouldWarnAndNotTrackAFileThatIsNotDefined() {
        ParseResult result = parse(dir, instance("VI_1", "interface eth0", "virtual_router_id 51",
                "virtual_ipaddress { 192.0.2.100 }", "track_file {", "nosuch", "}"));

        assertThat(result.findings()).anySatisfy(finding -> assertThat(finding.message())
                .isEqualTo("track_file `nosuch` names no vrrp_track_file; it is not tracked, as keepalived does"));
        assertThat(result.config().vrrpInstances().get(0).trackFiles()).isEmpty();
    }

    @Test
    void shouldRefuseAnInstanceWeightOutsideKeepalivedsRange() {
        ParseResult result = parse(dir, """
                track_file f {
                    file "/run/f"
                    weight 1000
                }
                """ + instance("VI_1", "interface eth0", "virtual_router_id 51",
                "virtual_ipaddress { 192.0.2.100 }", "track_file {", "f weight 255", "}"));

        assertThat(result.findings()).anySatisfy(finding -> {
            assertThat(finding.severity()).isEqualTo(Severity.ERROR);
            assertThat(finding.message()).isEqualTo("weight 255 is out of range (expected -254..254)");
        });
    }
}
