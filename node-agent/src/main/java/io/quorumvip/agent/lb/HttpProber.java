package io.quorumvip.agent.lb;

import io.quorumvip.check.ProbeResult;
import io.quorumvip.check.UrlCycle;
import io.quorumvip.config.CheckKind;
import io.quorumvip.config.CheckerConfig;
import io.quorumvip.config.HttpUrl;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * HTTP_GET (and SSL_GET) on a Vert.x client: one {@code url} per probe, as keepalived does (one per delay_loop, the
 * next after a success, the same one retried after a failure: {@link UrlCycle}); it must answer with an accepted
 * status (and the digest and regex when set) within connect_timeout. The client is shared with the checkers of the
 * same client configuration ({@link CheckClients}); keep-alive is off, so every probe is a connection of its own.
 */
final class HttpProber implements Prober {

    private final HttpClient client;
    private final String host;
    private final int port;
    private final List<HttpUrl> urls;
    private final Optional<String> virtualhost;
    private final long timeoutMillis;
    private UrlCycle cycle;

    HttpProber(HttpClient client, CheckerConfig checker, Optional<String> defaultVirtualhost) {
        CheckKind.Http http = (CheckKind.Http) checker.kind();
        this.timeoutMillis = CheckClients.connectTimeoutMillis(checker);
        this.client = client;
        this.host = checker.target().address().getHostAddress();
        this.port = checker.target().port();
        this.urls = http.urls();
        this.cycle = UrlCycle.start(urls.size());
        this.virtualhost = http.virtualhost().or(() -> defaultVirtualhost);
    }

    @Override
    public Future<ProbeResult> probe() {
        // Probes of one checker never overlap (the next is scheduled after this result), so the cycle is safe here.
        return get(urls.get(cycle.current()), System.nanoTime()).onSuccess(r -> cycle = cycle.after(r.success()));
    }

    private Future<ProbeResult> get(HttpUrl url, long start) {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port)
                .setURI(url.path()).setConnectTimeout(timeoutMillis).setIdleTimeout(timeoutMillis);
        url.virtualhost().or(() -> virtualhost).ifPresent(v -> request.putHeader("Host", v));
        return client.request(request)
                .compose(r -> r.send().compose(response -> response.body()
                        .map(body -> judge(url, response.statusCode(), body, start))))
                .otherwise(e -> ProbeResult.failure(url.path() + ": " + ProbeErrors.describe(e),
                        TcpProber.since(start)));
    }

    static ProbeResult judge(HttpUrl url, int status, Buffer body, long start) {
        String what = "HTTP " + status + " on " + url.path();
        if (!url.accepts(status)) {
            return ProbeResult.http(status, false, what + " (expected " + url.statusCodes() + ")",
                    TcpProber.since(start));
        }
        if (url.digest().isPresent()) {
            String digest = md5(body.getBytes());
            if (!digest.equals(url.digest().get())) {
                return ProbeResult.http(status, false, what + ", digest " + digest + " (expected "
                        + url.digest().get() + ")", TcpProber.since(start));
            }
        }
        if (url.regex().isPresent()) {
            boolean found = Pattern.compile(url.regex().get()).matcher(body.toString()).find();
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
