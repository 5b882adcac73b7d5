package io.quorumvip.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a second connect(2) says of a non-blocking connect. */
class ConnectProgressTest {

    @Test
    void shouldBeConnectedWhenTheSecondCallReturnsZero() {
        assertThat(ConnectProgress.of(0, 0)).isEqualTo(ConnectProgress.CONNECTED);
        assertThat(ConnectProgress.of(0, ConnectProgress.EALREADY)).as("errno is stale when the call succeeded")
                .isEqualTo(ConnectProgress.CONNECTED);
    }

    @Test
    void shouldStillWaitWhenTheHandshakeIsUnderway() {
        assertThat(ConnectProgress.of(-1, ConnectProgress.EALREADY)).isEqualTo(ConnectProgress.IN_PROGRESS);
    }

    @Test
    void shouldFailOnAnyOtherErrno() {
        assertThat(ConnectProgress.of(-1, TcpConnectResults.ECONNREFUSED)).isEqualTo(ConnectProgress.FAILED);
        assertThat(ConnectProgress.of(-1, TcpConnectResults.EHOSTUNREACH)).isEqualTo(ConnectProgress.FAILED);
    }

    @Test
    void shouldReadTheRequestsFirstWriteAsTheConnectsProgress() {
        assertThat(ConnectProgress.ofWrite(64, ConnectProgress.EAGAIN)).as("errno is stale when the write took bytes")
                .isEqualTo(ConnectProgress.CONNECTED);
        assertThat(ConnectProgress.ofWrite(-1, ConnectProgress.EAGAIN)).isEqualTo(ConnectProgress.IN_PROGRESS);
        assertThat(ConnectProgress.ofWrite(-1, TcpConnectResults.ECONNREFUSED)).isEqualTo(ConnectProgress.FAILED);
    }
}
