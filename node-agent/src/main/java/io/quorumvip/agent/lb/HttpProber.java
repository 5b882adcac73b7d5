package io.quorumvip.agent.lb;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import io.quorumvip.agent.net.TcpProbeLoop;
import io.quorumvip.check.HttpAnswer;
import io.quorumvip.check.ProbeResult;
import io.quorumvip.check.UrlCycle;
import io.quorumvip.config.CheckKind;
import io.quorumvip.config.CheckerConfig;
import io.quorumvip.config.HttpUrl;
import io.quorumvip.lb.NftProgramBuilder;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.impl.ContextInternal;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * HTTP_GET (and SSL_GET): one {@code url} per probe, as keepalived does (one per delay_loop, the next after a
 * success, the same one retried after a failure: {@link UrlCycle}); it must answer with an accepted status (and the
 * digest and regex when set) within connect_timeout, which bounds the connect and then each wait for the answer's
 * next bytes ({@link LoopDeadline}). Each probe is a connection of its own, closed after the answer, as keepalived's
 * are.
 *
 * <p>HTTP_GET runs on the TCP probe loop ({@link TcpProbeLoop}), as TCP_CHECK does: the request written from
 * direct memory, the answer read into the loop's one buffer, no Netty channel. SSL_GET runs on the bare connector
 * shared by the checks of its bindto ({@link CheckClients#connector}), with Netty's TLS in the connection's own
 * pipeline. Both encode the request once, and read the answer with {@link
 * HttpAnswer}, not Netty's HTTP decoder and aggregator (their objects per answer were garbage a status check never
 * read, and the young collections it made delayed every check on the loop). Vert.x's HttpClient was
 * tried and left: with a thousand real servers checked every second its pool stalled (a connection acquired took
 * seconds, then the probes timed out). A Vert.x NetClient under the same pipeline was left too: its connection
 * objects cost more CPU than the exchange, and its connect timeout fired without looking at sockets the loop had not
 * read yet, which failed healthy real servers whenever the loop fell behind.
 */
final class HttpProber implements Prober {

    /** Each url's regex compiled once: the expressions come from the configuration, so the map stays small. */
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();
    /** The largest body read (for digest and regex); a longer answer is a failure. */
    static final int MAX_BODY_BYTES = 4 << 20;

    private final ContextInternal context;
    /** SSL_GET's; null for HTTP_GET. */
    private final Bootstrap connector;
    /** HTTP_GET's; null for SSL_GET. */
    private final TcpProbeLoop plain;
    private final TcpProbeLoop.Target plainTarget;
    private final Optional<SslContext> tls;
    private final InetSocketAddress target;
    private final List<HttpUrl> urls;
    private final List<Request> requests;
    private final long timeoutNanos;
    private final String[] evidence;
    private final int[] evidenceStatus;
    private UrlCycle cycle;

    /**
     * A url's request, encoded once into direct memory that each probe writes a duplicate of (a heap buffer was copied
     * into a direct one per write), and the name its TLS handshake sends (SNI), if any. The memory is the JDK's,
     * freed with the prober: Netty's release of a duplicate leaves it alone.
     */
    private record Request(ByteBuffer direct, ByteBuf bytes, Optional<String> serverName) {
    }

    HttpProber(CheckClients clients, CheckerConfig checker, Optional<String> defaultVirtualhost) {
        CheckKind.Http http = (CheckKind.Http) checker.kind();
        this.context = clients.context();
        this.connector = http.tls() ? clients.connector(checker) : null;
        this.tls = http.tls() ? Optional.of(clients.tls()) : Optional.empty();
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(CheckClients.connectTimeoutMillis(checker));
        this.target = new InetSocketAddress(checker.target().address(), checker.target().port());
        this.plain = http.tls() ? null : clients.tcpProbeLoop();
        this.plainTarget = http.tls() ? null : TcpProbeLoop.target(target, checker.target().bindAddress(),
                checker.target().closeWithReset(), checker.target().untracked() ? NftProgramBuilder.CHECK_MARK : 0,
                Duration.ofNanos(timeoutNanos));
        String host = checker.target().address().getHostAddress();
        int port = checker.target().port();
        this.urls = http.urls();
        this.cycle = UrlCycle.start(urls.size());
        HttpVersion version = http.protocolVersion().startsWith("1.0") ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
        String literal = checker.target().address() instanceof Inet6Address ? "[" + host + "]" : host;
        String defaultPort = http.tls() ? "443" : "80";
        String authority = literal + (String.valueOf(port).equals(defaultPort) ? "" : ":" + port);
        List<Request> built = new ArrayList<>();
        for (HttpUrl url : urls) {
            Optional<String> virtualhost = url.virtualhost().or(() -> http.virtualhost()).or(() -> defaultVirtualhost);
            ByteBuffer direct = encode(version, url.path(), virtualhost.orElse(authority));
            built.add(new Request(direct, Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(direct.duplicate())),
                    http.sni() ? virtualhost : Optional.empty()));
        }
        this.requests = List.copyOf(built);
        this.evidence = new String[urls.size()];
        this.evidenceStatus = new int[urls.size()];
        Arrays.fill(evidenceStatus, -1);
    }

    private static ByteBuffer encode(HttpVersion version, String path, String hostHeader) {
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
        ByteBuffer direct = ByteBuffer.allocateDirect(all.readableBytes());
        all.readBytes(direct);
        all.release();
        return direct.flip();
    }

    /** Completes on the checks' context, where the load balancer takes the result without another hop. */
    @Override
    public Future<ProbeResult> probe() {
        Promise<ProbeResult> promise = Promise.promise();
        // Probes of one checker never overlap (the next is scheduled after this result): the cycle is safe here.
        if (plain != null) {
            plain.submit(new PlainExchange(cycle.current(), promise::complete));
        } else {
            context.execute(() -> new Exchange(cycle.current(), promise).start());
        }
        return promise.future();
    }

    @Override
    public void probe(Consumer<ProbeResult> done) {
        if (plain != null) {
            plain.submit(new PlainExchange(cycle.current(), done));
        } else {
            Prober.super.probe(done);
        }
    }

    /** An HTTP_GET on the TCP probe loop: its hooks run on the loop's thread, its completion on the checks' context. */
    private final class PlainExchange extends TcpProbeLoop.Probe {
        private final int index;
        private final HttpUrl url;
        /** Taken once: the loop asks for it several times per probe. */
        private final ByteBuffer request;
        private final Consumer<ProbeResult> done;
        private final long start = System.nanoTime();
        private final HttpAnswer answer;

        PlainExchange(int index, Consumer<ProbeResult> done) {
            super(plainTarget);
            this.index = index;
            this.url = urls.get(index);
            this.request = requests.get(index).direct();
            this.done = done;
            this.answer = new HttpAnswer(url.digest().isPresent() || url.regex().isPresent(), MAX_BODY_BYTES);
        }

        @Override
        protected ByteBuffer request() {
            return request;
        }

        @Override
        protected ProbeResult failed(ProbeResult why) {
            return ProbeResult.failure(url.path() + ": " + why.detail(), why.latency());
        }

        @Override
        protected boolean read(byte[] bytes, int length) {
            answer.read(bytes, 0, length);
            return answer.done();
        }

        @Override
        protected ProbeResult answer(boolean closed, Duration took) {
            if (closed) {
                answer.closed();
            }
            return answer.complete() ? judge(url, answer.status(), evidence(index, answer.status()), answer.body(),
                    start) : failure(url, answer.error().orElseThrow(), start);
        }

        /** On the checks' context: the next url is chosen before the load balancer sees the result. */
        @Override
        protected void completed(ProbeResult result) {
            cycle = cycle.after(result.success());
            done.accept(result);
        }
    }

    private ProbeResult failure(HttpUrl url, String error, long start) {
        return ProbeResult.failure(url.path() + ": " + error, TcpProber.since(start));
    }

    /**
     * One request and its answer on one connection: done once, by the answer's end, an error, the close or the
     * deadline. It sits last in the pipeline (after TLS, when SSL_GET) and reads the answer's bytes itself ({@link
     * HttpAnswer}); the body is kept only for a digest or regex.
     */
    private final class Exchange extends ChannelInboundHandlerAdapter implements ChannelFutureListener, Runnable,
            Handler<ProbeResult> {
        private final int index;
        private final HttpUrl url;
        private final Request request;
        private final Promise<ProbeResult> promise;
        private final long start = System.nanoTime();
        private final LoopDeadline deadline;
        private final HttpAnswer answer;
        private Channel channel;
        private boolean done;

        Exchange(int index, Promise<ProbeResult> promise) {
            this.index = index;
            this.url = urls.get(index);
            this.request = requests.get(index);
            this.promise = promise;
            this.deadline = new LoopDeadline(CheckClients.loop(context), timeoutNanos, this);
            this.answer = new HttpAnswer(url.digest().isPresent() || url.regex().isPresent(), MAX_BODY_BYTES);
        }

        void start() {
            deadline.start();
            ChannelFuture connecting = connector.connect(target);
            channel = connecting.channel();
            connecting.addListener(this);
        }

        /** Connected (or not): TLS goes in first when SSL_GET, then this, and the request is written. */
        @Override
        public void operationComplete(ChannelFuture connected) {
            if (done) {
                return;
            }
            if (!connected.isSuccess()) {
                finish(failure(url, ProbeErrors.describe(connected.cause()), start));
                return;
            }
            deadline.touch();
            ChannelPipeline pipeline = channel.pipeline();
            tls.ifPresent(t -> pipeline.addLast(new Activity(deadline), request.serverName()
                    .map(name -> t.newHandler(channel.alloc(), name, target.getPort()))
                    .orElseGet(() -> t.newHandler(channel.alloc()))));
            pipeline.addLast(this);
            channel.writeAndFlush(request.bytes().duplicate());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            try {
                if (message instanceof ByteBuf bytes && !done) {
                    deadline.touch();
                    // A read is one pooled buffer: its internal view is reused, where nioBuffer() made one per read.
                    answer.read(bytes.nioBufferCount() == 1
                            ? bytes.internalNioBuffer(bytes.readerIndex(), bytes.readableBytes())
                            : bytes.nioBuffer());
                    if (answer.done()) {
                        judgeAnswer();
                    }
                }
            } finally {
                ReferenceCountUtil.release(message);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable e) {
            String error = e instanceof DecoderException && e.getCause() instanceof SSLException tlsError
                    ? "TLS: " + ProbeErrors.describe(tlsError)
                    : ProbeErrors.describe(e);
            finish(failure(url, error, start));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!done) {
                answer.closed();
                judgeAnswer();
            }
        }

        private void judgeAnswer() {
            finish(answer.complete() ? judge(url, answer.status(), evidence(index, answer.status()), answer.body(),
                    start)
                    : failure(url, answer.error().orElseThrow(), start));
        }

        /** The deadline passed without a connection, or without the answer's next bytes. */
        @Override
        public void run() {
            finish(failure(url, "timed out", start));
        }

        private void finish(ProbeResult result) {
            if (done) {
                return;
            }
            done = true;
            deadline.cancel();
            channel.close();
            context.emit(result, this);
        }

        /** The result, on the checks' context: the next url is chosen before the load balancer sees it. */
        @Override
        public void handle(ProbeResult result) {
            cycle = cycle.after(result.success());
            promise.complete(result);
        }
    }

    /** First in an SSL_GET's pipeline: every read, TLS records included, gives the answer another connect_timeout. */
    private static final class Activity extends ChannelInboundHandlerAdapter {
        private final LoopDeadline deadline;

        Activity(LoopDeadline deadline) {
            this.deadline = deadline;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            deadline.touch();
            ctx.fireChannelRead(message);
        }
    }

    /** "HTTP 200 on /path": the same string for every answer of a url while its status holds. */
    private String evidence(int index, int status) {
        if (evidenceStatus[index] != status) {
            evidence[index] = "HTTP " + status + " on " + urls.get(index).path();
            evidenceStatus[index] = status;
        }
        return evidence[index];
    }

    static ProbeResult judge(HttpUrl url, int status, String what, byte[] body, long start) {
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
