package io.quorumvip.agent.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.check.ProbeResult;
import io.quorumvip.config.CheckerConfig;
import io.quorumvip.config.KeepalivedConfigParser;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP_GET's exchange against a server on the loopback that answers each path with fixed bytes, so the answer's
 * framing (length, close-delimited, cut short, none) is exactly what each test needs.
 */
class HttpProberTest {

    private static final Map<String, String> ANSWERS = Map.of(
            "/ok", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
            "/fail", "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n",
            "/close", "HTTP/1.0 200 OK\r\n\r\nhello",
            "/cut", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhello");

    @TempDir
    Path dir;

    private Vertx vertx;
    private NetServer server;
    private CheckClients clients;

    @BeforeEach
    void serve() throws Exception {
        vertx = Vertx.vertx();
        clients = new CheckClients(vertx, vertx.getOrCreateContext());
        server = vertx.createNetServer().connectHandler(HttpProberTest::answer).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Answers once the request's head is in; a path it does not know ("/hang") gets no answer at all. */
    private static void answer(NetSocket socket) {
        Buffer head = Buffer.buffer();
        socket.handler(data -> {
            head.appendBuffer(data);
            String request = head.toString();
            if (!request.contains("\r\n\r\n")) {
                return;
            }
            String answer = ANSWERS.get(request.split(" ")[1]);
            if (answer != null) {
                socket.write(answer).onComplete(v -> socket.close());
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        clients.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private ProbeResult probe(String url) throws Exception {
        Path file = dir.resolve("keepalived.conf");
        Files.writeString(file, "virtual_server 192.0.2.20 80 {\n lb_kind NAT\n real_server 127.0.0.1 "
                + server.actualPort() + " {\n  HTTP_GET {\n   url {\n" + url + "\n   }\n   connect_timeout 1\n  }\n"
                + " }\n}\n");
        var parsed = KeepalivedConfigParser.parse(file);
        assertThat(parsed.errors()).isEmpty();
        CheckerConfig checker = parsed.config().loadBalancing().virtualServers().get(0).realServers().get(0)
                .checkers().get(0);
        HttpProber prober = new HttpProber(clients, checker, Optional.empty());
        return prober.probe().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldAcceptAnAnswerOfTheExpectedStatusAndDigest() throws Exception {
        ProbeResult result = probe("path /ok\n digest 5d41402abc4b2a76b9719d911017c592");

        assertThat(result.success()).as(result.detail()).isTrue();
        assertThat(result.detail()).isEqualTo("HTTP 200 on /ok");
    }

    @Test
    void shouldFailAWrongStatusAndAWrongDigest() throws Exception {
        assertThat(probe("path /fail").detail()).startsWith("HTTP 503 on /fail (expected");
        ProbeResult digest = probe("path /ok\n digest 00000000000000000000000000000000");
        assertThat(digest.success()).isFalse();
        assertThat(digest.detail()).contains("digest 5d41402abc4b2a76b9719d911017c592 (expected");
    }

    @Test
    void shouldTakeABodyEndedByTheCloseAsWhole() throws Exception {
        ProbeResult result = probe("path /close\n digest 5d41402abc4b2a76b9719d911017c592");

        assertThat(result.success()).as(result.detail()).isTrue();
    }

    @Test
    void shouldFailAnAnswerCutShortAndOneThatNeverComes() throws Exception {
        ProbeResult cut = probe("path /cut");
        assertThat(cut.success()).isFalse();
        assertThat(cut.detail()).startsWith("/cut: ");

        ProbeResult hang = probe("path /hang");
        assertThat(hang.success()).isFalse();
        assertThat(hang.detail()).isEqualTo("/hang: timed out");
    }
}
