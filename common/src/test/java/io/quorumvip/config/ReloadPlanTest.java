package io.quorumvip.config;

import static io.quorumvip.config.ConfigFixture.instance;
import static io.quorumvip.config.ConfigFixture.parseClean;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadPlanTest {

    private static final String SCRIPT = "vrrp_script chk {\n    script \"/bin/true\"\n}\n";

    @TempDir
    Path dir;

    private static String vi(String name, int vrid, String vip, String... extra) {
        List<String> lines = new ArrayList<>(List.of("interface eth0", "virtual_router_id " + vrid,
                "virtual_ipaddress {", vip + "/24", "}"));
        lines.addAll(List.of(extra));
        return instance(name, lines.toArray(String[]::new));
    }

    private KeepalivedConfig config(String name, String text) {
        return parseClean(dir.resolve(name), text);
    }

    @Test
    void shouldCallAnInstanceUnchangedWhenOnlyWhereItIsWrittenMoved() {
        KeepalivedConfig running = config("a", vi("VI_1", 51, "192.0.2.200") + vi("VI_2", 52, "192.0.2.201"));
        KeepalivedConfig next = config("b", "# a comment moves every line\n\n" + vi("VI_2", 52, "192.0.2.201")
                + vi("VI_1", 51, "192.0.2.200"));

        ReloadPlan plan = ReloadPlan.between(running, next);

        assertThat(plan.unchanged()).containsExactly("VI_1", "VI_2");
        assertThat(plan.nothingChanged()).isTrue();
    }

    @Test
    void shouldSortInstancesIntoAddedRemovedChangedAndUnchanged() {
        KeepalivedConfig running = config("a", vi("VI_1", 51, "192.0.2.200") + vi("VI_2", 52, "192.0.2.201")
                + vi("VI_3", 53, "192.0.2.202"));
        KeepalivedConfig next = config("b", vi("VI_1", 51, "192.0.2.200") + vi("VI_2", 52, "192.0.2.211")
                + vi("VI_4", 54, "192.0.2.204"));

        ReloadPlan plan = ReloadPlan.between(running, next);

        assertThat(plan.unchanged()).containsExactly("VI_1");
        assertThat(plan.changed()).containsExactly("VI_2");
        assertThat(plan.removed()).containsExactly("VI_3");
        assertThat(plan.added()).containsExactly("VI_4");
        assertThat(plan.nothingChanged()).isFalse();
    }

    @Test
    void shouldCallAnInstanceChangedWhenAScriptItTracksOrItsSyncGroupChanged() {
        String instances = vi("VI_1", 51, "192.0.2.200", "track_script {", "chk", "}")
                + vi("VI_2", 52, "192.0.2.201") + vi("VI_3", 53, "192.0.2.202");
        KeepalivedConfig running = config("a", SCRIPT + instances);
        KeepalivedConfig next = config("b", SCRIPT.replace("/bin/true", "/bin/false") + instances
                + "vrrp_sync_group G {\n    group {\n        VI_2\n        VI_3\n    }\n}\n");

        ReloadPlan plan = ReloadPlan.between(running, next);

        assertThat(plan.changed()).containsExactly("VI_1", "VI_2", "VI_3");
        assertThat(plan.othersChanged()).isEmpty();
    }

    @Test
    void shouldNameTheOtherBlocksThatChanged() {
        KeepalivedConfig running = config("a", vi("VI_1", 51, "192.0.2.200"));
        KeepalivedConfig next = config("b", "global_defs {\n    router_id lb2\n}\n" + vi("VI_1", 51, "192.0.2.200"));

        ReloadPlan plan = ReloadPlan.between(running, next);

        assertThat(plan.unchanged()).containsExactly("VI_1");
        assertThat(plan.othersChanged()).containsExactly("global_defs");
        assertThat(plan.nothingChanged()).isFalse();
    }

    private static String vs(String address, String... reals) {
        StringBuilder text = new StringBuilder("virtual_server " + address + " 80 {\n    lb_algo rr\n    lb_kind NAT\n"
                + "    protocol TCP\n");
        for (String real : reals) {
            text.append("    real_server ").append(real).append(" 80 {\n        TCP_CHECK {\n"
                    + "            connect_timeout 3\n        }\n    }\n");
        }
        return text.append("}\n").toString();
    }

    @Test
    void shouldStopRemovedAndChangedInstancesBeforeStartingChangedAndAddedOnes() {
        KeepalivedConfig running = config("a", vi("VI_1", 51, "192.0.2.200") + vi("VI_2", 52, "192.0.2.201")
                + vi("VI_3", 53, "192.0.2.202"));
        KeepalivedConfig next = config("b", vi("VI_1", 51, "192.0.2.200") + vi("VI_2", 52, "192.0.2.211")
                + vi("VI_4", 54, "192.0.2.204"));

        ReloadPlan plan = ReloadPlan.between(running, next);

        assertThat(plan.toStop()).containsExactly("VI_3", "VI_2");
        assertThat(plan.toStart()).containsExactly("VI_2", "VI_4");
        assertThat(plan.refusals()).isEmpty();
    }

    @Test
    void shouldCallAnInstanceChangedWhenATrackFileItTracksChanged() {
        String file = "vrrp_track_file f {\n    file \"/run/qvip-f\"\n}\n";
        String instances = vi("VI_1", 51, "192.0.2.200", "track_file {", "f", "}") + vi("VI_2", 52, "192.0.2.201");
        KeepalivedConfig running = config("a", file + instances);
        KeepalivedConfig next = config("b", file.replace("qvip-f", "qvip-g") + instances);

        ReloadPlan plan = ReloadPlan.between(running, next);

        assertThat(plan.changed()).containsExactly("VI_1");
        assertThat(plan.unchanged()).containsExactly("VI_2");
    }

    @Test
    void shouldRefuseAChangeOfTheQuorumBlockNamingItAndSayingRestart() {
        String quorum = "quorum {\n    connect 192.0.2.11:2181\n}\n";
        KeepalivedConfig running = config("a", quorum + vi("VI_1", 51, "192.0.2.200"));
        KeepalivedConfig next = config("b", quorum.replace("192.0.2.11", "192.0.2.12") + vi("VI_1", 51,
                "192.0.2.200"));

        ReloadPlan plan = ReloadPlan.between(running, next);

        assertThat(plan.othersChanged()).containsExactly("quorum");
        assertThat(plan.refusals()).singleElement().asString().startsWith("quorum changed").contains("restart");
    }

    @Test
    void shouldRefuseAChangeThatReachesASyncGroupMember() {
        String group = "vrrp_sync_group G {\n    group {\n        VI_1\n        VI_2\n    }\n}\n";
        KeepalivedConfig running = config("a", vi("VI_1", 51, "192.0.2.200") + vi("VI_2", 52, "192.0.2.201")
                + vi("VI_3", 53, "192.0.2.202") + group);
        KeepalivedConfig next = config("b", vi("VI_1", 51, "192.0.2.210") + vi("VI_2", 52, "192.0.2.201")
                + vi("VI_3", 53, "192.0.2.212") + group);

        ReloadPlan plan = ReloadPlan.between(running, next);

        assertThat(plan.changed()).containsExactly("VI_1", "VI_3");
        assertThat(plan.refusals()).singleElement().asString().contains("vrrp_instance VI_1", "vrrp_sync_group G",
                "restart");
    }

    @Test
    void shouldSortVirtualServersIntoAddedRemovedChangedAndUnchangedWithoutARefusal() {
        String instance = vi("VI_1", 51, "192.0.2.200");
        KeepalivedConfig running = config("a", instance + vs("192.0.2.210", "198.51.100.1")
                + vs("192.0.2.211", "198.51.100.1") + vs("192.0.2.212", "198.51.100.1"));
        KeepalivedConfig next = config("b", instance + vs("192.0.2.210", "198.51.100.1")
                + vs("192.0.2.211", "198.51.100.1", "198.51.100.2") + vs("192.0.2.213", "198.51.100.1"));

        ReloadPlan plan = ReloadPlan.between(running, next);

        assertThat(plan.virtualServers().unchanged()).containsExactly("192.0.2.210:80/tcp");
        assertThat(plan.virtualServers().changed()).containsExactly("192.0.2.211:80/tcp");
        assertThat(plan.virtualServers().removed()).containsExactly("192.0.2.212:80/tcp");
        assertThat(plan.virtualServers().added()).containsExactly("192.0.2.213:80/tcp");
        assertThat(plan.othersChanged()).containsExactly("virtual_server");
        assertThat(plan.unchanged()).containsExactly("VI_1");
        assertThat(plan.refusals()).isEmpty();
    }

    @Test
    void shouldStartOnlyTheNamedInstancesAndTheSyncGroupsWhollyAmongThem() {
        String group = "vrrp_sync_group G {\n    group {\n        VI_1\n        VI_2\n    }\n}\n";
        KeepalivedConfig next = config("b", SCRIPT + vi("VI_1", 51, "192.0.2.200") + vi("VI_2", 52, "192.0.2.201")
                + vi("VI_3", 53, "192.0.2.202") + group);

        KeepalivedConfig starting = next.withOnlyInstances(List.of("VI_1", "VI_3"));

        assertThat(starting.vrrpInstances()).extracting(VrrpInstanceConfig::name).containsExactly("VI_1", "VI_3");
        assertThat(starting.syncGroups()).isEmpty();
        assertThat(starting.vrrpScripts()).containsKey("chk");
        assertThat(next.withOnlyInstances(List.of("VI_1", "VI_2")).syncGroups()).hasSize(1);
    }

    @Test
    void shouldRefuseAddingRemovingOrChangingAnInstanceWithUseVmac() {
        KeepalivedConfig running = config("a", vi("VI_1", 51, "192.0.2.200", "use_vmac")
                + vi("VI_2", 52, "192.0.2.201", "use_vmac"));
        KeepalivedConfig next = config("b", vi("VI_2", 52, "192.0.2.211", "use_vmac")
                + vi("VI_3", 53, "192.0.2.202", "use_vmac") + vi("VI_4", 54, "192.0.2.203"));

        ReloadPlan plan = ReloadPlan.between(running, next);

        assertThat(plan.refusals()).containsExactly(
                "vrrp_instance VI_3 (added) uses use_vmac: the macvlans and their IGMP filter are made when the agent"
                        + " starts and removed when it stops, all together; restart the agent to apply it",
                "vrrp_instance VI_1 (removed) uses use_vmac: the macvlans and their IGMP filter are made when the "
                        + "agent starts and removed when it stops, all together; restart the agent to apply it",
                "vrrp_instance VI_2 (changed) uses use_vmac: the macvlans and their IGMP filter are made when the "
                        + "agent starts and removed when it stops, all together; restart the agent to apply it");
    }
}
