package io.quorumvip.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.config.KeepalivedConfigParser;
import io.quorumvip.config.ParseResult;
import io.quorumvip.config.VirtualServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NftProgramUntrackedChecksTest {

    private static final String OUT_RULE = "[{\"match\":{\"op\":\"==\",\"left\":{\"meta\":{\"key\":\"mark\"}},"
            + "\"right\":1903584104}},{\"notrack\":null}]";
    private static final String IN_RULE = "[{\"match\":{\"op\":\"==\",\"left\":{\"meta\":{\"key\":\"l4proto\"}},"
            + "\"right\":\"tcp\"}},{\"match\":{\"op\":\"==\",\"left\":{\"socket\":{\"key\":\"mark\"}},"
            + "\"right\":1903584104}},{\"notrack\":null}]";

    @TempDir
    Path dir;

    private VirtualServerConfig virtualServer(String vip, String kind, String real, String checker)
            throws IOException {
        return parsed(dir, vip, kind, real, checker);
    }

    /** One virtual server on port 80 with one real server on port 80 and its one checker, read from a file. */
    static VirtualServerConfig parsed(Path dir, String vip, String kind, String real, String checker)
            throws IOException {
        Path file = dir.resolve("keepalived.conf");
        Files.writeString(file, "virtual_server " + vip + " 80 {\n lb_kind " + kind + "\n real_server " + real
                + " 80 {\n  " + checker + "\n }\n}\n");
        ParseResult parsed = KeepalivedConfigParser.parse(file);
        assertThat(parsed.errors()).isEmpty();
        return parsed.config().loadBalancing().virtualServers().get(0);
    }

    private static Optional<NftProgram.Chain> chain(NftProgram program, String family, String name) {
        return program.table(family).flatMap(t -> t.chains().stream().filter(c -> c.name().equals(name)).findFirst());
    }

    @Test
    void shouldTakeTheUntrackedChecksPacketsAndTheirRepliesOutOfConntrackAtRawPriority() throws IOException {
        VirtualServerConfig vs = virtualServer("192.0.2.210", "NAT", "198.51.100.51", "TCP_CHECK { untracked }");

        NftProgram program = NftProgramBuilder.build(List.of(NftProgramTest.plan(vs)));

        NftProgram.Chain out = chain(program, "ip", "checks_out").orElseThrow();
        NftProgram.Chain in = chain(program, "ip", "checks_in").orElseThrow();
        assertThat(out.hook().orElseThrow().toString())
                .isEqualTo("{\"type\":\"filter\",\"hook\":\"output\",\"prio\":-300,\"policy\":\"accept\"}");
        assertThat(in.hook().orElseThrow().toString())
                .isEqualTo("{\"type\":\"filter\",\"hook\":\"prerouting\",\"prio\":-300,\"policy\":\"accept\"}");
        assertThat(out.rules()).containsExactly(OUT_RULE);
        assertThat(in.rules()).containsExactly(IN_RULE);
        assertThat(NftProgramBuilder.CHECK_MARK & NftProgramBuilder.MASQUERADE_MARK).isZero();
    }

    @Test
    void shouldTrackEverythingAsBeforeWithoutUntracked() throws IOException {
        VirtualServerConfig vs = virtualServer("192.0.2.210", "NAT", "198.51.100.51",
                "HTTP_GET { url { path / } close_with_reset }");

        NftProgram program = NftProgramBuilder.build(List.of(NftProgramTest.plan(vs)));

        assertThat(chain(program, "ip", "checks_out")).isEmpty();
        assertThat(chain(program, "ip", "checks_in")).isEmpty();
    }

    @Test
    void shouldExemptTheIpv6ChecksInTheIp6Table() throws IOException {
        VirtualServerConfig vs = virtualServer("2001:db8::210", "NAT", "2001:db8:1::51",
                "HTTP_GET { url { path / } untracked }");

        NftProgram program = NftProgramBuilder.build(List.of(NftProgramTest.plan(vs)));

        assertThat(chain(program, "ip6", "checks_out").orElseThrow().rules()).containsExactly(OUT_RULE);
        assertThat(chain(program, "ip6", "checks_in").orElseThrow().rules()).containsExactly(IN_RULE);
        assertThat(program.table("ip")).isEmpty();
    }

    @Test
    void shouldAddNothingForDrWhoseDirectorRunsNoConntrackOfOurs() throws IOException {
        VirtualServerConfig vs = virtualServer("192.0.2.210", "DR", "192.0.2.51", "TCP_CHECK { untracked }");

        NftProgram program = NftProgramBuilder.build(List.of(NftProgramTest.plan(vs)));

        assertThat(program.table("netdev")).isPresent();
        assertThat(program.table("ip")).isEmpty();
        assertThat(chain(program, "netdev", "checks_out")).isEmpty();
    }

    @Test
    void shouldKeepTheChecksTrackedWhereMasqueradePicksPortsAmongWhatConntrackKnows() throws IOException {
        VirtualServerConfig vs = virtualServer("192.0.2.210", "NAT", "198.51.100.51", "TCP_CHECK { untracked }");
        ServicePlan plan = NftProgramTest.plan(vs);
        ServicePlan masquerading = new ServicePlan(vs, plan.endpoints(), plan.fwmarks(), plan.pool(), plan.dr(),
                true);

        NftProgram program = NftProgramBuilder.build(List.of(masquerading));

        assertThat(chain(program, "ip", "postrouting")).isPresent();
        assertThat(chain(program, "ip", "checks_out")).isEmpty();
        assertThat(chain(program, "ip", "checks_in")).isEmpty();
    }
}
