package io.quorumvip.config;

import static io.quorumvip.config.ConfigFixture.instance;
import static io.quorumvip.config.ConfigFixture.parse;
import static io.quorumvip.config.ConfigFixture.parseClean;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncGroupConfigTest {

    private static final String TWO_INSTANCES = instance("front", "interface eth0", "virtual_router_id 61",
            "virtual_ipaddress {", "192.0.2.220/24", "}", "track_script {", "chk weight -20", "}")
            + instance("back", "interface eth1", "virtual_router_id 62", "virtual_ipaddress {", "198.51.100.1/24", "}")
            + "vrrp_script chk {\n    script \"/bin/true\"\n}\n";

    @TempDir
    Path dir;

    @Test
    void shouldReadTheGroupWithItsNotifyScriptsAndTrackers() {
        KeepalivedConfig config = parseClean(dir, TWO_INSTANCES + """
                vrrp_script chk_group {
                    script "/bin/true"
                }
                vrrp_sync_group G {
                    group {
                        front back
                    }
                    notify_master "/bin/echo master"
                    notify /bin/notify.sh
                    track_script {
                        chk_group
                    }
                    track_interface {
                        eth2
                    }
                    sync_group_tracking_weight
                }
                """);

        SyncGroupConfig group = config.syncGroups().get(0);
        assertThat(group.members()).containsExactly("front", "back");
        assertThat(group.notifyScripts().master()).hasValueSatisfying(n ->
                assertThat(n.command()).isEqualTo("/bin/echo master"));
        assertThat(group.notifyScripts().any()).isPresent();
        assertThat(group.trackScripts()).extracting(TrackedScript::scriptName).containsExactly("chk_group");
        assertThat(group.trackInterfaces()).extracting(TrackedInterface::interfaceName).containsExactly("eth2");
        assertThat(group.memberWeight(-20)).isEqualTo(-20);
        assertThat(config.syncGroupOf("back")).contains(group);
        assertThat(config.syncGroupOf("nobody")).isEmpty();
    }

    @Test
    void shouldTurnMemberWeightsIntoFaultsWithoutSyncGroupTrackingWeightAndSaySo() {
        ParseResult result = parse(dir, TWO_INSTANCES + "vrrp_sync_group G {\n group {\n front\n back\n }\n}\n");

        assertThat(result.warnings()).singleElement().satisfies(f -> {
            assertThat(f.line()).isEqualTo(1);
            assertThat(f.message()).contains("`front` is in sync group `G`", "weights of its trackers are ignored");
        });
        assertThat(result.config().syncGroups().get(0).memberWeight(-20)).isZero();
    }

    @Test
    void shouldLeaveOutAnUnknownMemberAndAnInstanceAlreadyInAnotherGroup() {
        ParseResult result = parse(dir, TWO_INSTANCES + """
                vrrp_sync_group A {
                    group {
                        front
                        back
                        bakc
                    }
                    global_tracking
                }
                vrrp_sync_group B {
                    group {
                        back
                    }
                }
                """);

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).extracting(Finding::message).containsExactlyInAnyOrder(
                "sync group `A` names `bakc`, which is no vrrp_instance; it is left out of the group, as keepalived"
                        + " does",
                "vrrp_instance `back` is already in sync group `A`; an instance can be in one group only, so it is"
                        + " left out of `B`",
                "vrrp_sync_group `B` has no vrrp_instance; it is ignored");
        assertThat(result.warnings()).anySatisfy(f -> assertThat(f.hint()).isEqualTo("did you mean `back`?"));
        assertThat(result.config().syncGroups()).extracting(SyncGroupConfig::name).containsExactly("A");
    }

    @Test
    void shouldSayWhatASyncGroupKeywordWeDoNotImplementIs() {
        ParseResult result = parse(dir, TWO_INSTANCES + """
                vrrp_sync_group G {
                    group {
                        front
                        back
                    }
                    sync_group_tracking_weight
                    smtp_alert
                }
                """);

        assertThat(result.warnings()).extracting(Finding::message).containsExactly("not supported yet: `smtp_alert`");
    }

    @Test
    void shouldIgnoreMembersListedOutsideGroupWithAWarningAsKeepalived2Does() {
        ParseResult result = parse(dir, TWO_INSTANCES + "vrrp_sync_group G {\n    front\n    back\n}\n");

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).extracting(Finding::message).contains(
                ("`front` outside `group { }` is the keepalived 1.x way of"
                        + " listing a member; keepalived 2 ignores it, and so does this"));
        assertThat(result.config().syncGroups()).isEmpty();
    }
}
