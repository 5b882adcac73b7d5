package io.quorumvip.config;

import static io.quorumvip.config.ConfigFixture.instance;
import static io.quorumvip.config.ConfigFixture.parse;
import static io.quorumvip.config.ConfigFixture.parseClean;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keepalived 2.2.7's {@code reverse} and {@code noreverse}, where `keepalived -t` takes them and where it does not. */
class ReverseWeightConfigTest {

    private static final String TRACKERS = """
            vrrp_script chk_up {
                script /bin/true
                weight 10 reverse
            }
            vrrp_script chk_plain {
                script /bin/true
                weight 10
            }
            track_file maintenance {
                file "/run/qvip/maintenance"
                weight 3 reverse
            }
            vrrp_track_process haproxy {
                process haproxy
                weight -5 reverse
            }
            """;

    @TempDir
    Path dir;

    private KeepalivedConfig parseTracking(String... lines) {
        return parseClean(dir, TRACKERS + instance("VI_1", withBasics(lines)));
    }

    private static String[] withBasics(String... lines) {
        List<String> all = new java.util.ArrayList<>(List.of("interface eth0", "virtual_router_id 51",
                "virtual_ipaddress { 192.0.2.100 }"));
        all.addAll(List.of(lines));
        return all.toArray(String[]::new);
    }

    @Test
    void shouldReadReverseOnEveryTrackerBlockAndLetTheEntriesInheritIt() {
        KeepalivedConfig config = parseTracking("track_script {", "chk_up", "chk_plain weight 4", "}",
                "track_file {", "maintenance weight 2", "}", "track_process {", "haproxy", "}");

        VrrpScript up = config.vrrpScripts().get("chk_up");
        VrrpScript plain = config.vrrpScripts().get("chk_plain");
        assertThat(up.reverse()).isTrue();
        assertThat(plain.reverse()).isFalse();
        VrrpInstanceConfig instance = config.vrrpInstances().get(0);
        assertThat(instance.trackScripts().get(0).effectiveReverse(up)).isTrue();
        assertThat(instance.trackScripts().get(1).effectiveReverse(plain)).isFalse();
        VrrpTrackFile file = config.trackFiles().get("maintenance");
        assertThat(file.reverse()).isTrue();
        assertThat(instance.trackFiles().get(0).effectiveWeight(file)).isEqualTo(2);
        assertThat(instance.trackFiles().get(0).effectiveReverse(file))
                .as("an entry's weight without a direction keeps the block's reverse, as alloc_track_file does")
                .isTrue();
        VrrpTrackProcess process = config.trackProcesses().get("haproxy");
        assertThat(process.reverse()).isTrue();
        assertThat(instance.trackProcesses().get(0).effectiveReverse(process)).isTrue();
    }

    @Test
    void shouldLetAnEntrysReverseOrNoreverseOverrideTheBlock() {
        KeepalivedConfig config = parseTracking("track_script {", "chk_up weight 10 noreverse",
                "chk_plain weight 4 reverse", "}", "track_file {", "maintenance weight 2 noreverse", "}",
                "track_process {", "haproxy weight -5 noreverse", "}", "track_interface {", "eth1 weight 7 reverse",
                "eth2 weight 0 reverse", "eth3", "}");

        VrrpInstanceConfig instance = config.vrrpInstances().get(0);
        assertThat(instance.trackScripts().get(0).effectiveReverse(config.vrrpScripts().get("chk_up"))).isFalse();
        assertThat(instance.trackScripts().get(1).effectiveReverse(config.vrrpScripts().get("chk_plain"))).isTrue();
        assertThat(instance.trackFiles().get(0).effectiveReverse(config.trackFiles().get("maintenance"))).isFalse();
        assertThat(instance.trackProcesses().get(0).effectiveReverse(config.trackProcesses().get("haproxy")))
                .isFalse();
        assertThat(instance.trackInterfaces())
                .extracting(TrackedInterface::interfaceName, TrackedInterface::weight, TrackedInterface::reverse)
                .containsExactly(tuple("eth1", 7, true), tuple("eth2", 0, true), tuple("eth3", 0, false));
    }

    @Test
    void shouldReadReverseInASyncGroupsTrackers() {
        KeepalivedConfig config = parseClean(dir, TRACKERS + instance("VI_1", withBasics())
                + instance("VI_2", "interface eth0", "virtual_router_id 52", "virtual_ipaddress { 192.0.2.101 }")
                + """
                vrrp_sync_group G {
                    group {
                        VI_1
                        VI_2
                    }
                    track_interface {
                        eth1 weight 0 reverse
                    }
                    track_script {
                        chk_plain weight 0 reverse
                    }
                }
                """);

        SyncGroupConfig group = config.syncGroups().get(0);
        assertThat(group.trackInterfaces().get(0).reverse()).isTrue();
        assertThat(group.trackScripts().get(0).effectiveReverse(config.vrrpScripts().get("chk_plain"))).isTrue();
        assertThat(group.memberReverse(0, true)).as("weight 0 reverse is a FAULT rule and stays").isTrue();
        assertThat(group.memberReverse(10, true))
                .as("without sync_group_tracking_weight the weight goes, and its direction with it").isFalse();
        SyncGroupConfig weighted = new SyncGroupConfig(group.name(), group.position(), group.members(),
                group.notifyScripts(), group.trackScripts(), group.trackInterfaces(), group.trackFiles(),
                group.trackProcesses(), true);
        assertThat(weighted.memberReverse(10, true)).isTrue();
        assertThat(weighted.memberReverse(10, false)).isFalse();
    }

    @Test
    void shouldWarnOfNoreverseInATrackerBlockAndRunTheNormalDirectionAsKeepalivedDoes() {
        ParseResult result = parse(dir, """
                vrrp_script chk {
                    script /bin/true
                    weight 10 noreverse
                }
                track_file f {
                    file "/run/f"
                    weight 1 noreverse
                }
                vrrp_track_process p {
                    process haproxy
                    weight 1 noreverse
                }
                """);

        String warning = "keepalived 2.2.7 does not take `noreverse` here; the weight keeps its normal direction, "
                + "as keepalived runs it";
        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).extracting(Finding::line, Finding::message).containsExactly(
                tuple(3, warning), tuple(7, warning), tuple(11, warning));
        KeepalivedConfig config = result.config();
        assertThat(config.vrrpScripts().get("chk").weight()).isEqualTo(10);
        assertThat(config.vrrpScripts().get("chk").reverse()).isFalse();
        assertThat(config.trackFiles().get("f").reverse()).isFalse();
        assertThat(config.trackProcesses().get("p").reverse()).isFalse();
    }

    @Test
    void shouldRejectAnyOtherWordAfterATrackerBlocksWeight() {
        ParseResult result = parse(dir, "vrrp_script chk {\n script /bin/true\n weight 10 revers\n}\n");

        assertThat(result.errors()).extracting(Finding::line, Finding::message).containsExactly(
                tuple(3, "unexpected `revers` after the weight"));
    }

    @Test
    void shouldWarnOfNoreverseInTrackInterfaceAndRejectADirectionThatWouldRunOtherwiseThanWritten() {
        ParseResult result = parse(dir, TRACKERS + instance("VI_1", withBasics("track_interface {",
                "eth1 weight 5 noreverse", "}", "track_script {", "chk_up reverse", "chk_plain weight 5 no_reverse",
                "}")));

        assertThat(result.warnings()).extracting(Finding::line, Finding::message).containsExactly(
                tuple(22, "keepalived 2.2.7 does not take `noreverse` here; the weight keeps its normal direction, "
                        + "as keepalived runs it"));
        assertThat(result.errors()).extracting(Finding::line, Finding::message).containsExactly(
                tuple(25, "unexpected `chk_up reverse` in track_script"),
                tuple(26, "unexpected `no_reverse` after the weight"));
    }

    @Test
    void shouldTakeNoreverseInAFileCheckWeightAsKeepalivedDoes() {
        ParseResult result = parse(dir, """
                track_file f1 {
                    file "/run/f1"
                    weight 3 reverse
                }
                virtual_server 192.0.2.50 80 {
                    lb_kind NAT
                    protocol TCP
                    real_server 192.0.2.51 80 {
                        FILE_CHECK {
                            track_file f1
                            weight 2 noreverse
                        }
                        FILE_CHECK {
                            track_file f1
                            weight 2 bogus
                        }
                    }
                }
                """);

        assertThat(result.errors()).extracting(Finding::line, Finding::message)
                .containsExactly(tuple(15, "unexpected `bogus` after the weight"));
        CheckKind.File own = (CheckKind.File) result.config().loadBalancing().virtualServers().get(0)
                .realServers().get(0).checkers().get(0).kind();
        assertThat(own.weight()).hasValue(2);
        assertThat(own.reverse()).isFalse();
    }
}
