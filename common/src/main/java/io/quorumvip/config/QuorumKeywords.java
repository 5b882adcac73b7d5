package io.quorumvip.config;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/** Handlers for the keywords of the top-level {@code quorum} block (ours, not keepalived's). */
final class QuorumKeywords {

    static final KeywordTable<Drafts.Quorum> TABLE = KeywordTable.<Drafts.Quorum>forBlock("quorum")
            .keyword("connect", QuorumKeywords::connect)
            .keyword("session_timeout", QuorumKeywords::sessionTimeout)
            .keyword("zk_tick_time", QuorumKeywords::tickTime)
            .keyword("path", QuorumKeywords::path)
            .keyword("digest", QuorumKeywords::digest)
            .keyword("on_loss", QuorumKeywords::onLoss)
            .validElsewhere(KeepalivedKeywords.TOP_LEVEL_SUPPORTED)
            .build();

    private static final int MAX_SESSION_TIMEOUT_MS = 600_000;
    private static final int MAX_TICK_TIME_MS = 60_000;

    private QuorumKeywords() {
    }

    private static void connect(Statement s, Drafts.Quorum q, Diagnostics d) {
        Values.exactWord(s, "connect 192.0.2.21:2181,192.0.2.22:2181,192.0.2.23:2181", d).ifPresent(text -> {
            Token value = s.arguments().get(0);
            List<ZooKeeperServer> servers = new ArrayList<>();
            for (String entry : text.split(",", -1)) {
                ZooKeeperServer server = server(entry, value, d);
                if (server == null) {
                    return;
                }
                servers.add(server);
            }
            q.servers = servers;
        });
    }

    private static ZooKeeperServer server(String entry, Token value, Diagnostics d) {
        if (entry.indexOf('/') >= 0) {
            d.error(value.position(), "connect " + value.text() + " has a chroot path",
                    "put the base znode in `path` instead");
            return null;
        }
        int colon = entry.lastIndexOf(':');
        String host = colon < 0 ? "" : entry.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || colon == entry.length() - 1) {
            d.error(value.position(), "connect entry `" + entry + "` is not host:port (expected e.g. "
                    + "192.0.2.21:2181)", "separate servers with commas, no spaces");
            return null;
        }
        Token portToken = new Token(Token.Kind.WORD, entry.substring(colon + 1), false, value.position(),
                value.logicalLine());
        OptionalInt port = Values.integer("connect port", portToken, 1, 65535, d);
        return port.isPresent() ? new ZooKeeperServer(host, port.getAsInt()) : null;
    }

    private static void sessionTimeout(Statement s, Drafts.Quorum q, Diagnostics d) {
        if (!Values.exactArguments(s, 1, 1, "session_timeout MILLISECONDS", d)) {
            return;
        }
        Token value = s.arguments().get(0);
        if (value.text().matches("\\d{1,9}") && Long.parseLong(value.text()) < 3000) {
            d.error(value.position(), "session_timeout " + value.text() + " ms is too short (expected 3000.."
                            + MAX_SESSION_TIMEOUT_MS + " ms)",
                    "the VIP's kernel address lifetime (at least 1 s) must expire before ZooKeeper can expire the "
                            + "session and let another node take the lease; use 3000 or more");
            return;
        }
        Values.integer("session_timeout", value, 3000, MAX_SESSION_TIMEOUT_MS, d)
                .ifPresent(ms -> q.sessionTimeout = java.time.Duration.ofMillis(ms));
    }

    private static void tickTime(Statement s, Drafts.Quorum q, Diagnostics d) {
        if (Values.exactArguments(s, 1, 1, "zk_tick_time MILLISECONDS (the ensemble's tickTime)", d)) {
            Values.integer("zk_tick_time", s.arguments().get(0), 1, MAX_TICK_TIME_MS, d)
                    .ifPresent(ms -> q.tickTime = java.time.Duration.ofMillis(ms));
        }
    }

    private static void path(Statement s, Drafts.Quorum q, Diagnostics d) {
        Values.exactWord(s, "path /quorum-vip/NAME", d).ifPresent(path -> {
            Token value = s.arguments().get(0);
            if (!path.startsWith("/")) {
                d.error(value.position(), "path " + path + " does not start with `/`",
                        "ZooKeeper paths are absolute: write `/" + path + "`");
            } else if (path.length() > 1 && (path.endsWith("/") || path.contains("//"))) {
                d.error(value.position(), "path " + path + " has an empty component",
                        "remove the extra `/`");
            } else if (List.of(path.split("/")).stream().anyMatch(p -> p.equals(".") || p.equals(".."))) {
                d.error(value.position(), "path " + path + " contains `.` or `..`",
                        "ZooKeeper does not allow relative components");
            } else {
                q.path = path;
            }
        });
    }

    private static void digest(Statement s, Drafts.Quorum q, Diagnostics d) {
        Values.exactWord(s, "digest USER:PASSWORD", d).ifPresent(text -> {
            int colon = text.indexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                d.error(s.arguments().get(0).position(), "digest is not user:password (both parts non-empty)",
                        "write `digest qvip:secret`");
                return;
            }
            q.digest = new DigestCredentials(text.substring(0, colon), text.substring(colon + 1));
        });
    }

    private static void onLoss(Statement s, Drafts.Quorum q, Diagnostics d) {
        Values.exactWord(s, "on_loss release", d).ifPresent(word -> {
            if (word.equals("release")) {
                q.onLoss = OnLoss.RELEASE;
            } else {
                d.error(s.arguments().get(0).position(), "on_loss " + word + " is not a mode (expected release)",
                        "release is the only mode: without a provable lease the VIP must go");
            }
        });
    }
}
