package io.quorumvip.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;

/** Handlers for the keywords of the top-level {@code coordinator} block (ours, not keepalived's). */
final class CoordinatorKeywords {

    static final KeywordTable<Drafts.Coordinator> TABLE = KeywordTable.<Drafts.Coordinator>forBlock("coordinator")
            .repeatable("url", CoordinatorKeywords::url)
            .keyword("token", CoordinatorKeywords::token)
            .keyword("token_file", CoordinatorKeywords::tokenFile)
            .validElsewhere(KeepalivedKeywords.TOP_LEVEL_SUPPORTED)
            .build();

    private CoordinatorKeywords() {
    }

    private static void url(Statement s, Drafts.Coordinator c, Diagnostics d) {
        Values.exactWord(s, "url http://192.0.2.30:9120", d).ifPresent(text -> {
            SourcePosition at = s.arguments().get(0).position();
            URI uri;
            try {
                uri = new URI(text);
            } catch (URISyntaxException e) {
                d.error(at, "url " + text + " is not a URL: " + e.getReason(), "write e.g. `url http://192.0.2.30:9120`");
                return;
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                d.error(at, "url " + text + " has scheme `" + scheme + "` (expected http or https)",
                        "write e.g. `url http://192.0.2.30:9120`");
            } else if (uri.getHost() == null || uri.getPort() < 0) {
                d.error(at, "url " + text + " has no host and port (expected http://HOST:PORT)",
                        "write the coordinator's --listen address, e.g. `url http://192.0.2.30:9120`");
            } else if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                d.error(at, "url " + text + " has more than scheme, host and port",
                        "the agent adds /v1/nodes/NODE/records itself: write `url " + scheme + "://"
                                + uri.getHost() + ":" + uri.getPort() + "`");
            } else if (c.urls.stream().anyMatch(u -> u.equals(normalized(uri)))) {
                d.error(at, "url " + text + " is listed twice", "remove one: each url gets every record once");
            } else {
                c.urls.add(normalized(uri));
            }
        });
    }

    private static URI normalized(URI uri) {
        return URI.create(uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority());
    }

    private static void token(Statement s, Drafts.Coordinator c, Diagnostics d) {
        Values.exactWord(s, "token SECRET", d).ifPresent(text -> {
            if (secondTokenSource(s, c, d)) {
                return;
            }
            c.token = new CoordinatorToken.Literal(text);
            c.tokenPosition = s.position();
        });
    }

    private static void tokenFile(Statement s, Drafts.Coordinator c, Diagnostics d) {
        Values.exactWord(s, "token_file /etc/quorum-vip/token", d).ifPresent(text -> {
            if (secondTokenSource(s, c, d)) {
                return;
            }
            Path path = Path.of(text);
            if (!path.isAbsolute()) {
                d.error(s.arguments().get(0).position(), "token_file " + text + " is not an absolute path",
                        "write the full path, e.g. `token_file /etc/quorum-vip/token`");
                return;
            }
            c.token = new CoordinatorToken.File(path);
            c.tokenPosition = s.position();
        });
    }

    private static boolean secondTokenSource(Statement s, Drafts.Coordinator c, Diagnostics d) {
        if (c.token == null) {
            return false;
        }
        d.error(s.position(), "second token source `" + s.name() + "` (the first is at line " + c.tokenPosition.line()
                + ")", "keep one of `token` and `token_file`");
        return true;
    }
}
