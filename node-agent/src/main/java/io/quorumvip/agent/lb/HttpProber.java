package io.quorumvip.agent.lb;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.ReferenceCountUtil;
import io.quorumvip.check.ProbeResult;
import io.quorumvip.check.UrlCycle;
import io.quorumvip.config.CheckKind;
import io.quorumvip.config.CheckerConfig;
import io.quorumvip.config.HttpUrl;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.NetSocketInternal;
import java.net.Inet6Address;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * HTTP_GET (and SSL_GET): one {@code url} per probe, as keepalived does (one per delay_loop, the next after a
 * success, the same one retried after a failure: {@link UrlCycle}); it must answer with an accepted status (and the
 * digest and regex when set) within connect_timeout, which bounds the connect and then each wait for the answer's
 * next bytes. Each probe is a connection of its own, closed after the answer, as keepalived's are.
 *
 * <p>It runs on the TCP client shared by the checks of its client configuration ({@link CheckClients}), with Netty's
 * HTTP codec for the request (encoded once) and for the answer, in the connection's own pipeline. Vert.x's HttpClient
 * was tried and left: with a thousand real servers checked every second its pool stalled (a connection acquired took
 * seconds, then the probes timed out), where the same exchange on a NetClient kept up. The answer's decoder was
 * first a channel of its own beside the connection (an {@code EmbeddedChannel} per probe, its bytes copied into it):
 * in the pipeline it costs no second channel, and Netty's read timeout replaces a Vert.x timer set again on every
 * read.
 */
final class HttpProber implements Prober {

    /** Each url's regex compiled once: the expressions come from the configuration, so the map stays small. */
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();
    /** The largest body read (for digest and regex); a longer answer is a failure. */
    static final int MAX_BODY_BYTES = 4 << 20;

    /** The name Vert.x gives its own handler, last in a connection's pipeline: the answer's decoder goes before it. */
    private static final String VERTX_HANDLER = "handler";

    private final NetClient client;
    private final SocketAddress target;
    private final boolean sni;
    private final List<HttpUrl> urls;
    private final List<Request> requests;
    private final long timeoutMillis;
    private UrlCycle cycle;

    /** A url's request bytes, built once, and the name its TLS handshake sends (SNI), if any. */
    private record Request(byte[] bytes, Optional<String> serverName) {
    }

    HttpProber(NetClient client, CheckerConfig checker, Optional<String> defaultVirtualhost) {
        CheckKind.Http http = (CheckKind.Http) checker.kind();
        this.client = client;
        this.timeoutMillis = CheckClients.connectTimeoutMillis(checker);
        this.target = CheckClients.target(checker);
        String host = checker.target().address().getHostAddress();
        int port = checker.target().port();
        this.sni = http.sni();
        this.urls = http.urls();
        this.cycle = UrlCycle.start(urls.size());
        HttpVersion version = http.protocolVersion().startsWith("1.0") ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
        String literal = checker.target().address() instanceof Inet6Address ? "[" + host + "]" : host;
        String defaultPort = http.tls() ? "443" : "80";
        String authority = literal + (String.valueOf(port).equals(defaultPort) ? "" : ":" + port);
        List<Request> built = new ArrayList<>();
        for (HttpUrl url : urls) {
            Optional<String> virtualhost = url.virtualhost().or(() -> http.virtualhost()).or(() -> defaultVirtualhost);
            built.add(new Request(encode(version, url.path(), virtualhost.orElse(authority)),
                    sni ? virtualhost : Optional.empty()));
        }
        this.requests = List.copyOf(built);
    }

    private static byte[] encode(HttpVersion version, String path, String hostHeader) {
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(version, HttpMethod.GET, path);
        request.headers().set(HttpHeaderNames.HOST, hostHeader).set(HttpHeaderNames.CONNECTION,
                HttpHeaderValues.CLOSE);
        EmbeddedChannel encoder = new EmbeddedChannel(new HttpRequestEncoder());
        encoder.writeOutbound(request);
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf part = encoder.readOutbound(); part != null; part = encoder.readOutbound()) {
            all.writeBytes(part);
            part.release();
        }
        encoder.finishAndReleaseAll();
        return ByteBufUtil.getBytes(all);
    }

    @Override
    public Future<ProbeResult> probe() {
        // Probes of one checker never overlap (the next is scheduled after this result), so the cycle is safe here.
        int index = cycle.current();
        return get(urls.get(index), requests.get(index), System.nanoTime())
                .onSuccess(r -> cycle = cycle.after(r.success()));
    }

    private Future<ProbeResult> get(HttpUrl url, Request request, long start) {
        Promise<ProbeResult> promise = Promise.promise();
        Future<NetSocket> connected = request.serverName().isPresent()
                ? client.connect(target, request.serverName().get()) : client.connect(target);
        connected.onComplete(ar -> {
            if (ar.failed()) {
                promise.complete(failure(url, ProbeErrors.describe(ar.cause()), start));
            } else {
                new Exchange(url, ar.result(), start, promise).begin(request.bytes());
            }
        });
        return promise.future();
    }

    private static ProbeResult failure(HttpUrl url, String error, long start) {
        return ProbeResult.failure(url.path() + ": " + error, TcpProber.since(start));
    }

    /**
     * One request and its answer on one connection: done once, by the answer, its end, an error or the read timeout
     * (connect_timeout without a byte of the answer).
     */
    private final class Exchange {
        private final HttpUrl url;
        private final NetSocketInternal socket;
        private final long start;
        private final Promise<ProbeResult> promise;
        private boolean done;

        Exchange(HttpUrl url, NetSocket socket, long start, Promise<ProbeResult> promise) {
            this.url = url;
            this.socket = (NetSocketInternal) socket;
            this.start = start;
            this.promise = promise;
        }

        /** The decoder goes between TLS (if any) and Vert.x's handler, which then hands on whole answers. */
        void begin(byte[] request) {
            ChannelPipeline pipeline = socket.channelHandlerContext().pipeline();
            pipeline.addBefore(VERTX_HANDLER, "check-timeout", new ReadTimeoutHandler(timeoutMillis,
                    TimeUnit.MILLISECONDS));
            pipeline.addBefore(VERTX_HANDLER, "check-decoder", new HttpResponseDecoder());
            pipeline.addBefore(VERTX_HANDLER, "check-aggregator", new HttpObjectAggregator(MAX_BODY_BYTES));
            socket.messageHandler(this::received);
            socket.exceptionHandler(e -> finish(failure(url, (e instanceof DecoderException ? "bad answer: " : "")
                    + ProbeErrors.describe(e), start)));
            socket.endHandler(v -> finish(failure(url, "connection closed before a whole answer", start)));
            socket.writeMessage(Unpooled.wrappedBuffer(request));
        }

        private void received(Object message) {
            try {
                if (message instanceof FullHttpResponse response) {
                    finish(response.decoderResult().isFailure()
                            ? failure(url, "bad answer: " + ProbeErrors.describe(response.decoderResult().cause()),
                                    start)
                            : judge(url, response.status().code(), ByteBufUtil.getBytes(response.content()), start));
                }
            } finally {
                ReferenceCountUtil.release(message);
            }
        }

        private void finish(ProbeResult result) {
            if (done) {
                return;
            }
            done = true;
            socket.close();
            promise.complete(result);
        }
    }

    static ProbeResult judge(HttpUrl url, int status, byte[] body, long start) {
        String what = "HTTP " + status + " on " + url.path();
        if (!url.accepts(status)) {
            return ProbeResult.http(status, false, what + " (expected " + url.statusCodes() + ")",
                    TcpProber.since(start));
        }
        if (url.digest().isPresent()) {
            String digest = md5(body);
            if (!digest.equals(url.digest().get())) {
                return ProbeResult.http(status, false, what + ", digest " + digest + " (expected "
                        + url.digest().get() + ")", TcpProber.since(start));
            }
        }
        if (url.regex().isPresent()) {
            boolean found = PATTERNS.computeIfAbsent(url.regex().get(), Pattern::compile)
                    .matcher(Buffer.buffer(body).toString()).find();
            if (found == url.regexNoMatch()) {
                return ProbeResult.http(status, false, what + (found ? ", body matches " : ", body does not match ")
                        + url.regex().get(), TcpProber.since(start));
            }
        }
        return ProbeResult.http(status, true, what, TcpProber.since(start));
    }

    private static String md5(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }
}
