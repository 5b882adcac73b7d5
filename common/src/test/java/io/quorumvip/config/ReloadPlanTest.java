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
}
