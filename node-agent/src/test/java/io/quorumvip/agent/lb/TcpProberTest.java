package io.quorumvip.agent.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quorumvip.check.ProbeResult;
import io.quorumvip.config.CheckerConfig;
import io.quorumvip.config.KeepalivedConfigParser;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TCP_CHECK's connect on the bare connector, against listeners on the loopback. */
class TcpProberTest {

    @TempDir
    Path dir;

    private Vertx vertx;
    private CheckClients clients;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        clients = new CheckClients(vertx, vertx.getOrCreateContext());
    }

    @AfterEach
    void stop() throws Exception {
        clients.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private ProbeResult probe(int port) throws Exception {
        return probe(port, "");
    }

    private ProbeResult probe(int port, String keywords) throws Exception {
        Path file = dir.resolve("keepalived.conf");
        Files.writeString(file, "virtual_server 192.0.2.20 80 {\n lb_kind NAT\n real_server 127.0.0.1 " + port
                + " {\n  TCP_CHECK {\n   connect_timeout 1\n" + keywords + "  }\n }\n}\n");
        var parsed = KeepalivedConfigParser.parse(file);
        assertThat(parsed.errors()).isEmpty();
        CheckerConfig checker = parsed.config().loadBalancing().virtualServers().get(0).realServers().get(0)
                .checkers().get(0);
        return new TcpProber(clients, checker).probe().toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldSucceedOnAListenerAndCloseTheConnection() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            ProbeResult result = probe(listener.getLocalPort());

            assertThat(result.success()).as(result.detail()).isTrue();
            assertThat(result.detail()).isEqualTo("connected");
            try (var accepted = listener.accept()) {
                accepted.setSoTimeout(5000);
                assertThat(accepted.getInputStream().read()).as("the probe closes its connection").isEqualTo(-1);
            }
        }
    }

    /** Without TIME_WAIT a NAT director's conntrack holds each check 10 s, not 120 s (issue 12). */
    @Test
    void shouldResetTheConnectionWithCloseWithReset() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            ProbeResult result = probe(listener.getLocalPort(), "   close_with_reset\n");

            assertThat(result.success()).as(result.detail()).isTrue();
            try (var accepted = listener.accept()) {
                accepted.setSoTimeout(5000);
                assertThatThrownBy(() -> accepted.getInputStream().read()).as("the probe resets its connection")
                        .isInstanceOf(SocketException.class).hasMessageContaining("reset");
            }
        }
    }

    @Test
    void shouldConnectFromTheBindtoAddressToTheConnectPort() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            ProbeResult result = probe(1, "   bindto 127.0.0.2\n   connect_port " + listener.getLocalPort() + "\n");

            assertThat(result.success()).as(result.detail()).isTrue();
            try (var accepted = listener.accept()) {
                assertThat(accepted.getInetAddress().getHostAddress()).isEqualTo("127.0.0.2");
            }
        }
    }

    @Test
    void shouldFailAPortNobodyListensOn() throws Exception {
        int port;
        try (ServerSocket gone = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            port = gone.getLocalPort();
        }

        ProbeResult result = probe(port);

        assertThat(result.success()).isFalse();
        assertThat(result.detail()).isEqualTo("connect refused");
    }
}
