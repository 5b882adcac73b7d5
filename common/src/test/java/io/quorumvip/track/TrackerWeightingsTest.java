package io.quorumvip.track;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.config.KeepalivedConfig;
import io.quorumvip.config.KeepalivedConfigParser;
import io.quorumvip.config.ParseResult;
import io.quorumvip.config.VrrpInstanceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackerWeightingsTest {

    /** One tracker of each kind whose block says {@code reverse}. */
    private static final String TRACKERS = String.join("\n",
            "vrrp_script chk_up { script /bin/true; weight 10 reverse }".replace("; ", "\n"),
            "track_file maintenance { file /run/qvip/maintenance; weight 3 reverse }".replace("; ", "\n"),
            "vrrp_track_process haproxy { process haproxy; weight -5 reverse }".replace("; ", "\n"), "");

    @TempDir
    Path dir;

    private ParseResult lastParse;

    private KeepalivedConfig parse(String text) throws IOException {
        Path file = Files.writeString(dir.resolve("keepalived.conf"), text);
        ParseResult result = KeepalivedConfigParser.parse(file);
        assertThat(result.errors()).isEmpty();
        lastParse = result;
        return result.config();
    }

    private static String instance(String name, int vrid, String... lines) {
        return "vrrp_instance " + name + " {\n interface eth0\n virtual_router_id " + vrid
                + "\n virtual_ipaddress { 192.0.2." + vrid + " }\n" + String.join("\n", lines) + "\n}\n";
    }

    @Test
    void shouldGiveEachTrackerItsEntrysOrItsBlocksDirection() throws IOException {
        KeepalivedConfig config = parse(TRACKERS + instance("VI_1", 51, "track_script {", "chk_up weight 4", "}",
                "track_file {", "maintenance weight 2 noreverse", "}", "track_process {", "haproxy", "}",
                "track_interface {", "eth1 weight -6 reverse", "}"));
        VrrpInstanceConfig vi1 = config.instance("VI_1").orElseThrow();

        assertThat(TrackerWeightings.script(config, vi1, "chk_up")).hasValue(new Weighting(4, true));
        assertThat(TrackerWeightings.trackFile(config, vi1, config.trackFiles().get("maintenance")))
                .hasValue(new Weighting(2, false));
        assertThat(TrackerWeightings.trackProcess(config, vi1, config.trackProcesses().get("haproxy")))
                .hasValue(new Weighting(-5, true));
        assertThat(TrackerWeightings.interfaces(config, vi1)).isEqualTo(Map.of("eth0", new Weighting(0, false),
                "eth1", new Weighting(-6, true)));
        assertThat(TrackerWeightings.script(config, vi1, "nosuch")).isEqualTo(Optional.empty());
    }

    @Test
    void shouldDropAWeightedDirectionInASyncGroupWithoutTrackingWeightButKeepWeightZeroReverse() throws IOException {
        String group = """
                vrrp_sync_group G {
                    group {
                        VI_1
                        VI_2
                    }
                    track_script {
                        chk_up
                    }
                    track_interface {
                        eth1 weight 0 reverse
                    }
                    %s
                }
                """;
        String instances = instance("VI_1", 51) + instance("VI_2", 52);
        KeepalivedConfig plain = parse(TRACKERS + instances + group.formatted(""));
        VrrpInstanceConfig vi2 = plain.instance("VI_2").orElseThrow();

        assertThat(TrackerWeightings.script(plain, vi2, "chk_up")).hasValue(new Weighting(0, false));
        assertThat(TrackerWeightings.interfaces(plain, vi2)).containsEntry("eth1", new Weighting(0, true));

        KeepalivedConfig weighted = parse(TRACKERS + instances + group.formatted("sync_group_tracking_weight"));
        assertThat(TrackerWeightings.script(weighted, weighted.instance("VI_2").orElseThrow(), "chk_up"))
                .hasValue(new Weighting(10, true));
    }

    @Test
    void shouldHaveEveryMemberTrackTheGroupsFilesAndProcesses() throws IOException {
        KeepalivedConfig config = parse(TRACKERS + instance("VI_1", 51) + instance("VI_2", 52) + """
                vrrp_sync_group G {
                    group {
                        VI_1
                        VI_2
                    }
                    track_file {
                        maintenance weight 2 noreverse
                    }
                    track_process {
                        haproxy weight 0
                    }
                    sync_group_tracking_weight
                }
                """);

        for (String member : new String[] {"VI_1", "VI_2"}) {
            VrrpInstanceConfig instance = config.instance(member).orElseThrow();
            assertThat(TrackerWeightings.trackFile(config, instance, config.trackFiles().get("maintenance")))
                    .as(member).hasValue(new Weighting(2, false));
            assertThat(TrackerWeightings.trackProcess(config, instance, config.trackProcesses().get("haproxy")))
                    .as(member).hasValue(new Weighting(0, true));
        }
    }

    @Test
    void shouldTakeTheGroupsWeightingOfATrackerInBothUnlessTheInstancesIsUnweightedAsKeepalivedDoes()
            throws IOException {
        String vi1 = instance("VI_1", 51, "track_script {", "chk_up weight 4", "}", "track_file {",
                "maintenance weight 0", "}", "track_process {", "haproxy weight 7", "}", "track_interface {",
                "eth1 weight 6", "}");
        String vi2 = instance("VI_2", 52);
        KeepalivedConfig config = parse(TRACKERS + vi1 + vi2 + """
                vrrp_sync_group G {
                    group {
                        VI_1
                        VI_2
                    }
                    track_script {
                        chk_up weight 20 noreverse
                    }
                    track_file {
                        maintenance weight 9
                    }
                    track_process {
                        haproxy weight 8 noreverse
                    }
                    track_interface {
                        eth0 weight 30
                        eth1 weight 31
                    }
                    sync_group_tracking_weight
                }
                """);
        VrrpInstanceConfig instance = config.instance("VI_1").orElseThrow();

        assertThat(TrackerWeightings.script(config, instance, "chk_up")).hasValue(new Weighting(20, false));
        assertThat(TrackerWeightings.trackFile(config, instance, config.trackFiles().get("maintenance")))
                .as("the instance's weight 0 is a FAULT rule and stays").hasValue(new Weighting(0, true));
        assertThat(TrackerWeightings.trackProcess(config, instance, config.trackProcesses().get("haproxy")))
                .hasValue(new Weighting(8, false));
        assertThat(TrackerWeightings.interfaces(config, instance))
                .as("eth0 is the instance's own interface, tracked unweighted").isEqualTo(Map.of(
                        "eth0", new Weighting(0, false), "eth1", new Weighting(31, false)));
        assertThat(lastParse.warnings()).filteredOn(w -> w.message().contains("is in both sync group `G`"))
                .extracting(w -> w.message().substring(0, w.message().indexOf('`', w.message().indexOf('`') + 1) + 1))
                .containsExactlyInAnyOrder("track_script `chk_up`", "track_file `maintenance`",
                        "track_process `haproxy`", "track_interface `eth1`");
    }

    @Test
    void shouldTurnAWeightingIntoTheTrackersStatus() {
        assertThat(new Weighting(10, true).status("script chk_up", true).contribution()).isEqualTo(-10);
        assertThat(new Weighting(3, true).fileStatus("file maintenance", 2).contribution()).isEqualTo(-6);
        assertThat(new Weighting(0, true).fileStatus("file maintenance", 0).faults()).isTrue();
    }
}
