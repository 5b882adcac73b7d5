package io.quorumvip.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** TCP_CHECK's evidence words, the same as the Netty-based prober's (ProbeErrors over its exception messages). */
class TcpConnectResultsTest {

    private static final Duration TOOK = Duration.ofMillis(3);

    @Test
    void shouldSucceedWhenConnected() {
        ProbeResult result = TcpConnectResults.connected(TOOK);

        assertThat(result.success()).isTrue();
        assertThat(result.detail()).isEqualTo("connected");
        assertThat(result.latency()).isEqualTo(TOOK);
    }

    @Test
    void shouldNameTheErrorsAVerdictIsReadBy() {
        assertThat(TcpConnectResults.failed(111, "Connection refused", TOOK).detail()).isEqualTo("connect refused");
        assertThat(TcpConnectResults.failed(110, "Connection timed out", TOOK).detail()).isEqualTo("timed out");
        assertThat(TcpConnectResults.failed(113, "No route to host", TOOK).detail()).isEqualTo("no route to host");
        assertThat(TcpConnectResults.timedOut(TOOK).detail()).isEqualTo("timed out");
    }

    @Test
    void shouldCarryTheErrnoTextOfAnyOtherError() {
        ProbeResult result = TcpConnectResults.failed(101, "Network is unreachable", TOOK);

        assertThat(result.success()).isFalse();
        assertThat(result.detail()).isEqualTo("connect failed: Network is unreachable");
    }

    @Test
    void shouldFailAProbeThatGotNoSocketSayingSo() {
        ProbeResult result = TcpConnectResults.notTried("socket(): Too many open files (errno 24)", TOOK);

        assertThat(result.success()).isFalse();
        assertThat(result.detail()).isEqualTo("no connect tried: socket(): Too many open files (errno 24)");
    }
}
