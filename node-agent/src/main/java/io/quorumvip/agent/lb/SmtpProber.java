package io.quorumvip.agent.lb;

import io.quorumvip.check.ProbeResult;
import io.quorumvip.config.CheckKind;
import io.quorumvip.config.CheckerConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.util.OptionalInt;

/**
 * SMTP_CHECK as keepalived's check_smtp.c runs it: a 220 banner, {@code HELO helo_name} answered 250, then QUIT.
 * The whole exchange must finish within connect_timeout. Multi-line replies ({@code 250-...}) are read to their last
 * line.
 */
final class SmtpProber implements Prober {

    private final Vertx vertx;
    private final NetClient client;
    private final String host;
    private final int port;
    private final String heloName;
    private final long timeoutMillis;

    SmtpProber(Vertx vertx, CheckerConfig checker) {
        this.vertx = vertx;
        this.timeoutMillis = Math.max(1, checker.timing().connectTimeout().toMillis());
        NetClientOptions options = new NetClientOptions().setConnectTimeout((int) timeoutMillis);
        checker.target().bindAddress().ifPresent(a -> options.setLocalAddress(a.getHostAddress()));
        this.client = vertx.createNetClient(options);
        this.host = checker.target().address().getHostAddress();
        this.port = checker.target().port();
        this.heloName = ((CheckKind.Smtp) checker.kind()).heloName();
    }

    @Override
    public Future<ProbeResult> probe() {
        long start = System.nanoTime();
        Promise<ProbeResult> promise = Promise.promise();
        client.connect(port, host).onFailure(e -> promise.tryComplete(ProbeResult.failure(ProbeErrors.describe(e),
                TcpProber.since(start)))).onSuccess(socket -> converse(socket, promise, start));
        return promise.future();
    }

    private void converse(NetSocket socket, Promise<ProbeResult> promise, long start) {
        long timer = vertx.setTimer(timeoutMillis, id -> {
            if (promise.tryComplete(ProbeResult.failure("SMTP timed out after " + timeoutMillis + " ms",
                    TcpProber.since(start)))) {
                socket.close();
            }
        });
        promise.future().onComplete(done -> vertx.cancelTimer(timer));
        boolean[] heloSent = {false};
        socket.closeHandler(v -> promise.tryComplete(ProbeResult.failure("SMTP connection closed "
                + (heloSent[0] ? "after HELO" : "before the banner"), TcpProber.since(start))));
        socket.handler(RecordParser.newDelimited("\n", line -> {
            String text = line.toString().strip();
            if (text.length() >= 4 && text.charAt(3) == '-') {
                return;
            }
            int code = code(text);
            int expected = heloSent[0] ? 250 : 220;
            if (code != expected) {
                fail(socket, promise, start, code, "SMTP " + (heloSent[0] ? "HELO answered " : "banner ") + text
                        + " (expected " + expected + ")");
                return;
            }
            if (!heloSent[0]) {
                heloSent[0] = true;
                socket.write("HELO " + heloName + "\r\n");
                return;
            }
            if (promise.tryComplete(new ProbeResult(true, "SMTP 220 banner, HELO " + heloName + " answered 250",
                    OptionalInt.of(code), OptionalInt.empty(), TcpProber.since(start), OptionalInt.empty()))) {
                socket.write("QUIT\r\n").onComplete(w -> socket.close());
            }
        }));
    }

    private static void fail(NetSocket socket, Promise<ProbeResult> promise, long start, int code, String detail) {
        if (promise.tryComplete(new ProbeResult(false, detail, code < 0 ? OptionalInt.empty() : OptionalInt.of(code),
                OptionalInt.empty(), TcpProber.since(start), OptionalInt.empty()))) {
            socket.write("QUIT\r\n").onComplete(w -> socket.close());
        }
    }

    private static int code(String line) {
        if (line.length() < 3) {
            return -1;
        }
        try {
            return Integer.parseInt(line.substring(0, 3));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
