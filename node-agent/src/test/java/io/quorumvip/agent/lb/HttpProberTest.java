package io.quorumvip.agent.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.check.ProbeResult;
import io.quorumvip.config.CheckerConfig;
import io.quorumvip.config.KeepalivedConfigParser;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
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
        return prober(server.actualPort(), url, 1, "").probe().toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private HttpProber prober(int port, String url, int connectTimeoutSeconds, String keywords) throws Exception {
        Path file = dir.resolve("keepalived.conf");
        Files.writeString(file, "virtual_server 192.0.2.20 80 {\n lb_kind NAT\n real_server 127.0.0.1 " + port
                + " {\n  HTTP_GET {\n   url {\n" + url + "\n   }\n   connect_timeout " + connectTimeoutSeconds
                + "\n" + keywords + "  }\n }\n}\n");
        var parsed = KeepalivedConfigParser.parse(file);
        assertThat(parsed.errors()).isEmpty();
        CheckerConfig checker = parsed.config().loadBalancing().virtualServers().get(0).realServers().get(0)
                .checkers().get(0);
        return new HttpProber(clients, checker, Optional.empty());
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

    /**
     * The checks' loop busy past a probe's deadline (here one read handler that takes 3 s, at 10,000 real servers one
     * pass over thousands of ready sockets) while the answer came: the answer is read before the deadline is judged.
     * Before, the timer ran right after the busy pass, ahead of the read, and failed a healthy real server.
     */
    @Test
    void shouldReadAnAnswerThatCameWhileTheLoopWasBusyPastTheDeadline() throws Exception {
        CountDownLatch requested = new CountDownLatch(1);
        try (ServerSocket slow = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             ServerSocket busy = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread answering = serveOnce(slow, socket -> {
                socket.getInputStream().read(new byte[4096]);
                requested.countDown();
                Thread.sleep(2000);
                socket.getOutputStream().write(ANSWERS.get("/ok").getBytes(StandardCharsets.US_ASCII));
            });
            Thread keepingBusy = serveOnce(busy, socket -> {
                requested.await(10, TimeUnit.SECONDS);
                Thread.sleep(1000);
                socket.getOutputStream().write('x');
                Thread.sleep(5000);
            });
            CompletableFuture<Void> blocking = new CompletableFuture<>();
            clients.context().runOnContext(v -> vertx.createNetClient().connect(busy.getLocalPort(), "127.0.0.1")
                    .onSuccess(s -> s.handler(b -> sleep(3000)))
                    .onComplete(ar -> blocking.complete(null)));
            blocking.get(10, TimeUnit.SECONDS);

            ProbeResult result = prober(slow.getLocalPort(), "path /ok", 3, "").probe().toCompletionStage()
                    .toCompletableFuture().get(20, TimeUnit.SECONDS);

            assertThat(result.success()).as(result.detail()).isTrue();
            answering.join(10_000);
            keepingBusy.interrupt();
        }
    }

    /** The answer read, the connection is reset: the server, which had not closed, reads the RST (issue 12). */
    @Test
    void shouldResetTheConnectionAfterTheAnswerWithCloseWithReset() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Exception> afterAnswer = new CompletableFuture<>();
            serveOnce(listener, socket -> {
                socket.setSoTimeout(5000);
                socket.getInputStream().read(new byte[4096]);
                socket.getOutputStream().write(ANSWERS.get("/ok").getBytes(StandardCharsets.US_ASCII));
                try {
                    afterAnswer.complete(new IllegalStateException("read " + socket.getInputStream().read()));
                } catch (Exception e) {
                    afterAnswer.complete(e);
                }
            });

            ProbeResult result = prober(listener.getLocalPort(), "path /ok", 3, "   close_with_reset\n").probe()
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertThat(result.success()).as(result.detail()).isTrue();
            assertThat(afterAnswer.get(10, TimeUnit.SECONDS)).isInstanceOf(SocketException.class)
                    .hasMessageContaining("reset");
        }
    }

    private interface Exchange {
        void run(Socket socket) throws Exception;
    }

    private static Thread serveOnce(ServerSocket listener, Exchange exchange) {
        Thread thread = new Thread(() -> {
            try (Socket socket = listener.accept()) {
                exchange.run(socket);
            } catch (Exception e) {
                // The test's own end (interrupt, listener closed): the probe's result is what the test asserts.
            }
        });
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
