package io.quorumvip.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterLintTest {

    @TempDir
    Path dir;

    /** Copies of the shared pair, node 2 edited. */
    private List<Finding> lintPairWithNode2Edited(String from, String to) {
        Path node1 = ConfigFixture.write(dir, "node1.conf",
                ConfigFixture.copyWith(SharedSamples.samples().resolve("pair-node1.conf"), "", ""));
        Path node2 = ConfigFixture.write(dir, "node2.conf",
                ConfigFixture.copyWith(SharedSamples.samples().resolve("pair-node2.conf"), from, to));
        return ClusterLint.lint(List.of(
                ConfigFixture.parse(node1, ParseOptions.defaults()).configOrThrow(),
                ConfigFixture.parse(node2, ParseOptions.defaults()).configOrThrow()));
    }

    @Test
    void shouldRejectAMismatchedVridBetweenThePair() {
        List<Finding> findings = lintPairWithNode2Edited("virtual_router_id 66", "virtual_router_id 67");

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.file()).isEqualTo(dir.resolve("node2.conf"));
            assertThat(f.line()).isEqualTo(12);
            assertThat(f.message()).isEqualTo("vrrp_instance `VI_1` has virtual_router_id 67 ("
                    + dir.resolve("node1.conf") + ":12 has 66)");
        });
    }

    @Test
    void shouldRejectMismatchedAuthenticationAdvertIntervalVersionAndAddresses() {
        assertThat(lintPairWithNode2Edited("auth_pass 1111", "auth_pass 2222")).extracting(Finding::message)
                .containsExactly("vrrp_instance `VI_1` has authentication with another auth_pass than "
                        + dir.resolve("node1.conf") + ":12");
        assertThat(lintPairWithNode2Edited("advert_int 1", "advert_int 2")).extracting(Finding::message)
                .containsExactly("vrrp_instance `VI_1` has advert_int 2 (" + dir.resolve("node1.conf")
                        + ":12 has 1)");
        assertThat(lintPairWithNode2Edited("advert_int 1", "advert_int 1\n    version 3"))
                .extracting(Finding::message).contains("vrrp_instance `VI_1` runs VRRP version 3 ("
                        + dir.resolve("node1.conf") + ":12 has 2)");
        assertThat(lintPairWithNode2Edited("192.0.2.200/24", "192.0.2.201/24")).extracting(Finding::message)
                .containsExactly("vrrp_instance `VI_1` has virtual_ipaddress [192.0.2.201/24] ("
                        + dir.resolve("node1.conf") + ":12 has [192.0.2.200/24])");
    }

    @Test
    void shouldWarnAboutEqualPriorities() {
        List<Finding> findings = lintPairWithNode2Edited("priority 100", "priority 150");

        assertThat(findings).extracting(Finding::severity, Finding::message).containsExactly(tuple(
                Severity.WARNING, "vrrp_instance `VI_1` has priority 150, the same as in "
                        + dir.resolve("node1.conf") + ":12"));
    }

    @Test
    void shouldRejectARouterIdUsedTwice() {
        List<Finding> findings = lintPairWithNode2Edited("router_id lb02", "router_id lb01");

        assertThat(findings).extracting(Finding::file, Finding::line, Finding::column, Finding::message)
                .containsExactly(tuple(dir.resolve("node2.conf"), 9, 14,
                        "router_id lb01 is also the router_id of " + dir.resolve("node1.conf")));
    }

    @Test
    void shouldRejectOneAddressUnderTwoVridsAcrossFiles() {
        Path a = ConfigFixture.write(dir, "a.conf", ConfigFixture.instance("WEB", "interface eth0",
                "virtual_router_id 51", "virtual_ipaddress { 192.0.2.200 }"));
        Path b = ConfigFixture.write(dir, "b.conf", ConfigFixture.instance("API", "interface eth0",
                "virtual_router_id 52", "virtual_ipaddress { 192.0.2.200 }"));

        List<Finding> findings = ClusterLint.lint(List.of(
                ConfigFixture.parse(a, ParseOptions.defaults()).configOrThrow(),
                ConfigFixture.parse(b, ParseOptions.defaults()).configOrThrow()));

        assertThat(findings).filteredOn(Finding::isError)
                .extracting(Finding::file, Finding::line, Finding::message)
                .containsExactly(tuple(b, 4, "192.0.2.200 is in `API` (virtual_router_id 52) and in `WEB` "
                        + "(virtual_router_id 51) of " + a));
        assertThat(findings).filteredOn(f -> !f.isError()).extracting(Finding::message).containsExactly(
                "vrrp_instance `WEB` is in no other file given", "vrrp_instance `API` is in no other file given");
    }
}
