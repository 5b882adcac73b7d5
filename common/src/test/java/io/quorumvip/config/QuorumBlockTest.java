package io.quorumvip.config;

import static io.quorumvip.config.ConfigFixture.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuorumBlockTest {

    @TempDir
    Path dir;

    private ParseResult parseQuorum(String... lines) {
        return parse(dir, "quorum {\n" + String.join("\n", lines) + "\n}\n");
    }

    @Test
    void shouldReadACompleteQuorumBlock() {
        ParseResult result = parseQuorum(
                "connect 192.0.2.21:2181,192.0.2.22:2181,192.0.2.23:2181",
                "session_timeout 4000        # ms",
                "zk_tick_time 200",
                "path /quorum-vip/lab",
                "digest qvip:secret",
                "on_loss release");

        QuorumConfig quorum = result.configOrThrow().quorum().orElseThrow();
        assertThat(quorum.servers()).containsExactly(new ZooKeeperServer("192.0.2.21", 2181),
                new ZooKeeperServer("192.0.2.22", 2181), new ZooKeeperServer("192.0.2.23", 2181));
        assertThat(quorum.connectString()).isEqualTo("192.0.2.21:2181,192.0.2.22:2181,192.0.2.23:2181");
        assertThat(quorum.sessionTimeout()).isEqualTo(Duration.ofMillis(4000));
        assertThat(quorum.tickTime()).isEqualTo(Duration.ofMillis(200));
        assertThat(quorum.path()).isEqualTo("/quorum-vip/lab");
        assertThat(quorum.digest()).contains(new DigestCredentials("qvip", "secret"));
        assertThat(quorum.digest().orElseThrow().toString()).doesNotContain("secret");
        assertThat(quorum.onLoss()).isEqualTo(OnLoss.RELEASE);
        assertThat(quorum.position().line()).isEqualTo(1);
    }

    @Test
    void shouldDefaultSessionTimeoutPathAndOnLoss() {
        QuorumConfig quorum = parseQuorum("connect zk1:2181").configOrThrow().quorum().orElseThrow();

        assertThat(quorum.sessionTimeout()).isEqualTo(QuorumConfig.DEFAULT_SESSION_TIMEOUT);
        assertThat(quorum.tickTime()).isEqualTo(Duration.ofMillis(2000));
        assertThat(quorum.path()).isEqualTo("/quorum-vip");
        assertThat(quorum.digest()).isEmpty();
        assertThat(quorum.onLoss()).isEqualTo(OnLoss.RELEASE);
    }

    @Test
    void shouldExplainWhyASessionTimeoutUnder3000MsIsRejected() {
        ParseResult result = parseQuorum("connect 192.0.2.21:2181", "session_timeout 2000");

        assertThat(result.errors()).singleElement().satisfies(f -> {
            assertThat(f.line()).isEqualTo(3);
            assertThat(f.message()).isEqualTo("session_timeout 2000 ms is too short (expected 3000..600000 ms)");
            assertThat(f.hint()).contains("kernel address lifetime");
        });
    }

    @Test
    void shouldRejectASessionTimeoutThatLeavesNoLeaseAfterTheStaleLeaderMarginOfTheEnsemblesTick() {
        ParseResult atZooKeepersUsualTick = parseQuorum("connect 192.0.2.21:2181", "session_timeout 4000");

        assertThat(atZooKeepersUsualTick.errors()).singleElement().satisfies(f -> {
            assertThat(f.message()).isEqualTo("quorum session_timeout 4000 ms leaves less than 1 s of lease after"
                    + " its margin at zk_tick_time 2000 ms (expected session_timeout 5061 ms or more): the VIP"
                    + " could never be bound");
            assertThat(f.hint()).contains("1.5 ticks", "zk_tick_time");
        });
        assertThat(parseQuorum("connect 192.0.2.21:2181", "session_timeout 5061").errors()).isEmpty();
        assertThat(parseQuorum("connect 192.0.2.21:2181", "session_timeout 5060").errors()).hasSize(1);
        assertThat(parseQuorum("connect 192.0.2.21:2181", "session_timeout 4000", "zk_tick_time 200").errors())
                .isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "=>", value = {
        "zk_tick_time 0               => zk_tick_time 0 is out of range (expected 1..60000)",
        "connect 192.0.2.21           => connect entry `192.0.2.21` is not host:port (expected e.g. 192.0.2.21:2181)",
        "connect 192.0.2.21:99999     => connect port 99999 is out of range (expected 1..65535)",
        "connect zk:2181/chroot       => connect zk:2181/chroot has a chroot path",
        "path quorum-vip              => path quorum-vip does not start with `/`",
        "path /quorum-vip/            => path /quorum-vip/ has an empty component",
        "path /a/../b                 => path /a/../b contains `.` or `..`",
        "digest qvip                  => digest is not user:password (both parts non-empty)",
        "on_loss keep                 => on_loss keep is not a mode (expected release)",
        "session_timeout 4s           => session_timeout 4s is not a whole number (expected 3000..600000)",
        "sesion_timeout 4000          => unknown keyword `sesion_timeout` in quorum",
    })
    void shouldRejectABadQuorumSetting(String line, String message) {
        ParseResult result = parseQuorum("connect 192.0.2.21:2181", line.strip());

        assertThat(result.errors()).extracting(Finding::line, Finding::message).contains(tuple(3, message));
    }

    @Test
    void shouldRequireConnectAndASingleQuorumBlock() {
        ParseResult result = parse(dir, "quorum {\n path /x\n}\nquorum {\n connect zk:2181\n}\n");

        assertThat(result.errors()).extracting(Finding::line, Finding::message).containsExactly(
                tuple(1, "quorum block has no `connect`"),
                tuple(4, "second `quorum` block (the first is at line 1)"));
    }

    @Test
    void shouldRunWithoutAQuorumBlock() {
        KeepalivedConfig config = parse(dir, "global_defs { router_id lb01 }\n").configOrThrow();

        assertThat(config.quorum()).isEmpty();
    }
}
