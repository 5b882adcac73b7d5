package io.quorumvip.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.config.KeepalivedConfigParser;
import io.quorumvip.config.LoadBalancingConfig;
import io.quorumvip.config.ParseResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConntrackBudgetTest {

    private static final Duration TIME_WAIT = Duration.ofSeconds(120);
    private static final Duration CLOSE = Duration.ofSeconds(10);
    private static final long MAX = 262_144;

    @TempDir
    Path dir;

    /** {@code servers} real servers on ports from 20000, each with {@code checker} every {@code delayLoop}. */
    private LoadBalancingConfig config(int servers, String delayLoop, String checker) throws IOException {
        StringBuilder text = new StringBuilder("virtual_server 192.0.2.20 80 {\n lb_kind NAT\n delay_loop ")
                .append(delayLoop).append('\n');
        for (int i = 0; i < servers; i++) {
            text.append(" real_server 198.51.100.51 ").append(20_000 + i).append(" {\n  ").append(checker)
                    .append("\n }\n");
        }
        Path file = dir.resolve("keepalived.conf");
        Files.writeString(file, text.append("}\n"));
        ParseResult parsed = KeepalivedConfigParser.parse(file);
        assertThat(parsed.errors()).isEmpty();
        return parsed.config().loadBalancing();
    }

    @Test
    void shouldWarnWhenTimeWaitEntriesOfTheChecksFillOverHalfTheTable() throws IOException {
        ConntrackBudget budget = ConntrackBudget.of(config(3_000, "1", "TCP_CHECK { }"));

        assertThat(budget.finsPerSecond()).isEqualTo(3_000.0);
        assertThat(budget.entries(TIME_WAIT, CLOSE)).isEqualTo(360_000);
        assertThat(budget.warning(MAX, TIME_WAIT, CLOSE)).hasValueSatisfying(w -> assertThat(w)
                .startsWith("the health checks hold about 360,000 conntrack entries (3,000 TCP check connections")
                .contains("nf_conntrack_max 262,144").contains("add close_with_reset")
                .contains("add untracked to the TCP_CHECK and HTTP_GET blocks"));
    }

    @Test
    void shouldCountAResetConnectionForItsCloseTimeoutOnly() throws IOException {
        ConntrackBudget budget = ConntrackBudget.of(config(3_000, "1", "TCP_CHECK { close_with_reset }"));

        assertThat(budget.resetsPerSecond()).isEqualTo(3_000.0);
        assertThat(budget.entries(TIME_WAIT, CLOSE)).isEqualTo(30_000);
        assertThat(budget.warning(MAX, TIME_WAIT, CLOSE)).isEmpty();
    }

    @Test
    void shouldStayQuietAtKeepalivedsUsualRates() throws IOException {
        ConntrackBudget budget = ConntrackBudget.of(config(1_000, "6", "HTTP_GET { url { path / } }"));

        assertThat(budget.entries(TIME_WAIT, CLOSE)).isEqualTo(20_000);
        assertThat(budget.warning(MAX, TIME_WAIT, CLOSE)).isEmpty();
    }

    @Test
    void shouldLeaveOutUntrackedChecksButNotTheOthers() throws IOException {
        ConntrackBudget untracked = ConntrackBudget.of(config(3_000, "1", "TCP_CHECK { untracked }"));
        ConntrackBudget ssl = ConntrackBudget.of(config(3_000, "1", "SSL_GET { url { path / } }"));

        assertThat(untracked.entries(TIME_WAIT, CLOSE)).isZero();
        assertThat(ssl.entries(TIME_WAIT, CLOSE)).isEqualTo(360_000);
    }

    @Test
    void shouldLeaveOutChecksThatOpenNoTcpConnection() throws IOException {
        ConntrackBudget budget = ConntrackBudget.of(config(3_000, "1", "MISC_CHECK { misc_path /bin/true }"));

        assertThat(budget.entries(TIME_WAIT, CLOSE)).isZero();
    }
}
