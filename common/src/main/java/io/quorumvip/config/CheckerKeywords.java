package io.quorumvip.config;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Handlers for the checker blocks of a real server (TCP_CHECK, HTTP_GET, SSL_GET, MISC_CHECK, SMTP_CHECK,
 * DNS_CHECK, UDP_CHECK, PING_CHECK, FILE_CHECK), one table per block with the keywords keepalived.conf(5) gives it,
 * and quorum-vip's AGENT_CHECK (HAProxy's agent-check) with the connection and timing keywords of the others.
 */
final class CheckerKeywords {

    static final Set<String> DNS_TYPES = Set.of("A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA");
    static final Set<String> HTTP_VERSIONS = Set.of("1.0", "1.0C", "1.1");
    static final Set<String> REGEX_NOT_SUPPORTED = Set.of("regex_options", "regex_stack", "regex_min_offset",
            "regex_max_offset");
    static final Set<String> CHECKER_NOT_SUPPORTED = Set.of("log_all_failures");

    private static final KeywordTable<LbDrafts.Target> HOST = connection(
            KeywordTable.<LbDrafts.Target>forBlock("host"), t -> t).build();

    private static final KeywordTable<LbDrafts.Url> URL = KeywordTable.<LbDrafts.Url>forBlock("url")
            .keyword("path", (s, u, d) -> Values.word(s, "path /health", d).ifPresent(x -> u.path = x))
            .keyword("digest", CheckerKeywords::digest)
            .keyword("status_code", CheckerKeywords::statusCodes)
            .keyword("virtualhost", (s, u, d) -> Values.word(s, "virtualhost HOST", d)
                    .ifPresent(x -> u.virtualhost = x))
            .keyword("regex", (s, u, d) -> Values.word(s, "regex \"PATTERN\"", d).ifPresent(x -> u.regex = x))
            .keyword("regex_no_match", (s, u, d) -> Values.optionalBoolean(s, d)
                    .ifPresent(x -> u.regexNoMatch = x))
            .notSupported(REGEX_NOT_SUPPORTED)
            .build();

    private static final KeywordTable<LbDrafts.Checker> TCP = common("TCP_CHECK")
            .keyword("close_with_reset", CheckerKeywords::closeWithReset)
            .keyword("untracked", CheckerKeywords::untracked)
            .build();
    private static final KeywordTable<LbDrafts.Checker> HTTP = http("HTTP_GET")
            .keyword("untracked", CheckerKeywords::untracked)
            .build();
    private static final KeywordTable<LbDrafts.Checker> SSL = http("SSL_GET")
            .keyword("enable_sni", (s, c, d) -> Values.optionalBoolean(s, d).ifPresent(x -> c.sni = x))
            .build();
    private static final KeywordTable<LbDrafts.Checker> SMTP = common("SMTP_CHECK")
            .keyword("helo_name", (s, c, d) -> Values.word(s, "helo_name NAME", d).ifPresent(x -> c.heloName = x))
            .repeatable("host", CheckerKeywords::host)
            .build();
    private static final KeywordTable<LbDrafts.Checker> DNS = common("DNS_CHECK")
            .keyword("type", CheckerKeywords::dnsType)
            .keyword("name", (s, c, d) -> Values.word(s, "name example.org", d).ifPresent(x -> c.dnsName = x))
            .build();
    private static final KeywordTable<LbDrafts.Checker> UDP = common("UDP_CHECK")
            .keyword("payload", (s, c, d) -> hex(s, false, d).ifPresent(x -> c.payload = HexFormat.of()
                    .parseHex(x)))
            .keyword("require_reply", CheckerKeywords::requireReply)
            .keyword("min_reply_length", (s, c, d) -> Values.integer(s, 0, 65_507, d)
                    .ifPresent(x -> c.minReplyLength = x))
            .keyword("max_reply_length", (s, c, d) -> Values.integer(s, 0, 65_507, d)
                    .ifPresent(x -> c.maxReplyLength = x))
            .build();
    private static final KeywordTable<LbDrafts.Checker> PING = common("PING_CHECK").build();
    private static final KeywordTable<LbDrafts.Checker> AGENT = common("AGENT_CHECK").build();
    private static final KeywordTable<LbDrafts.Checker> MISC = LbTimingKeywords.add(
                    KeywordTable.<LbDrafts.Checker>forBlock("MISC_CHECK"), c -> c.timing)
            .keyword("misc_path", (s, c, d) -> {
                if (Values.arguments(s, 1, Integer.MAX_VALUE, "misc_path \"/path/check.sh ARGS\"", d)) {
                    c.miscPath = String.join(" ", s.argumentTexts());
                }
            })
            .keyword("misc_timeout", (s, c, d) -> Values.duration(s, LbTimingKeywords.MIN_TIMER,
                    LbTimingKeywords.MAX_TIMER, 3, d).ifPresent(x -> c.miscTimeout = x))
            .keyword("misc_dynamic", (s, c, d) -> Values.optionalBoolean(s, d).ifPresent(x -> c.miscDynamic = x))
            .keyword("user", (s, c, d) -> {
                if (Values.arguments(s, 1, 2, "user USER [GROUP]", d)) {
                    c.user = String.join(" ", s.argumentTexts());
                }
            })
            .notSupported(CHECKER_NOT_SUPPORTED)
            .build();
    private static final KeywordTable<LbDrafts.Checker> FILE = KeywordTable.<LbDrafts.Checker>forBlock("FILE_CHECK")
            .keyword("track_file", (s, c, d) -> Values.word(s, "track_file NAME", d).ifPresent(x -> c.trackFile = x))
            .keyword("dynamic", (s, c, d) -> Values.optionalBoolean(s, d).ifPresent(x -> c.fileDynamic = x))
            .keyword("weight", CheckerKeywords::fileWeight)
            .build();

    private static final Map<String, KeywordTable<LbDrafts.Checker>> TABLES = Map.of("TCP_CHECK", TCP,
            "HTTP_GET", HTTP, "SSL_GET", SSL, "SMTP_CHECK", SMTP, "DNS_CHECK", DNS, "UDP_CHECK", UDP, "PING_CHECK",
            PING, "MISC_CHECK", MISC, "FILE_CHECK", FILE, "AGENT_CHECK", AGENT);

    private CheckerKeywords() {
    }

    static void checker(Statement s, LbDrafts.RealServer r, Diagnostics d) {
        Values.block(s, 0, s.name() + " { ... }", d).ifPresent(block -> {
            LbDrafts.Checker checker = new LbDrafts.Checker(s.name(), s.position());
            TABLES.get(s.name()).dispatch(block.statements(), checker, d);
            r.checkers.add(checker);
        });
    }

    /** The connection keywords and the timing every network checker has. */
    private static KeywordTable.Builder<LbDrafts.Checker> common(String name) {
        return LbTimingKeywords.add(connection(KeywordTable.<LbDrafts.Checker>forBlock(name), c -> c.target),
                c -> c.timing).notSupported(CHECKER_NOT_SUPPORTED);
    }

    private static KeywordTable.Builder<LbDrafts.Checker> http(String name) {
        return common(name)
                .repeatable("url", CheckerKeywords::url)
                .keyword("http_protocol", CheckerKeywords::httpProtocol)
                .keyword("close_with_reset", CheckerKeywords::closeWithReset)
                .keyword("fast_recovery", (s, c, d) -> Values.optionalBoolean(s, d)
                        .ifPresent(x -> c.fastRecovery = x))
                .keyword("virtualhost", (s, c, d) -> Values.word(s, "virtualhost HOST", d)
                        .ifPresent(x -> c.timing.virtualhost = x));
    }

    private static <T> KeywordTable.Builder<T> connection(KeywordTable.Builder<T> table,
                                                          Function<T, LbDrafts.Target> target) {
        return table
                .keyword("connect_ip", (s, v, d) -> Values.address(s, d).ifPresent(x -> target.apply(v).connectIp = x))
                .keyword("connect_port", (s, v, d) -> port(s, d).ifPresent(x -> target.apply(v).connectPort = x))
                .keyword("bindto", (s, v, d) -> Values.address(s, d).ifPresent(x -> target.apply(v).bindTo = x))
                .keyword("bind_port", (s, v, d) -> port(s, d).ifPresent(x -> target.apply(v).bindPort = x))
                .keyword("bind_if", (s, v, d) -> Values.word(s, "bind_if IFNAME", d)
                        .ifPresent(x -> target.apply(v).bindInterface = x))
                .keyword("fwmark", (s, v, d) -> {
                    if (Values.arguments(s, 1, 1, "fwmark N", d)) {
                        VirtualServerKeywords.fwmark(s.arguments().get(0), d)
                                .ifPresent(x -> target.apply(v).fwmark = x.mark());
                    }
                });
    }

    /**
     * Ours (HAProxy's checks always do it), so a word after it is an error rather than ignored: each check
     * connection ends with an RST instead of keepalived's FIN, which leaves the director neither a TIME_WAIT socket
     * nor a conntrack entry held 120 s; the real server then sees a reset instead of an orderly close.
     */
    private static void closeWithReset(Statement s, LbDrafts.Checker c, Diagnostics d) {
        if (Values.exactArguments(s, 0, 0, "close_with_reset", d)) {
            c.target.closeWithReset = true;
        }
    }

    /**
     * Ours, TCP_CHECK and HTTP_GET (the connections the agent's own probe thread makes): each probe socket carries
     * {@link io.quorumvip.lb.NftProgramBuilder#CHECK_MARK}, and a NAT family's table exempts it from conntrack: no
     * entry against nf_conntrack_max, and less kernel time per probe (an HTTP_GET's CPU fell by a sixth). Off by
     * default: a director's own stateful firewall (ct state established accept, then drop) would drop the untracked
     * replies.
     */
    private static void untracked(Statement s, LbDrafts.Checker c, Diagnostics d) {
        if (Values.exactArguments(s, 0, 0, "untracked", d)) {
            c.target.untracked = true;
        }
    }

    private static java.util.OptionalInt port(Statement s, Diagnostics d) {
        return Values.arguments(s, 1, 1, s.name() + " 1..65535", d)
                ? LbTimingKeywords.port(s.name(), s.arguments().get(0), 1, d) : java.util.OptionalInt.empty();
    }

    private static void host(Statement s, LbDrafts.Checker c, Diagnostics d) {
        Values.block(s, 0, "host { connect_ip IP }", d).ifPresent(block -> {
            LbDrafts.Target target = new LbDrafts.Target();
            HOST.dispatch(block.statements(), target, d);
            c.hosts.add(target);
        });
    }

    private static void url(Statement s, LbDrafts.Checker c, Diagnostics d) {
        Values.block(s, 0, "url { path /health status_code 200 }", d).ifPresent(block -> {
            LbDrafts.Url url = new LbDrafts.Url(s.position());
            URL.dispatch(block.statements(), url, d);
            c.urls.add(url);
        });
    }

    private static void httpProtocol(Statement s, LbDrafts.Checker c, Diagnostics d) {
        Values.word(s, "http_protocol 1.0|1.0C|1.1", d).ifPresent(x -> {
            String version = x.toUpperCase(Locale.ROOT);
            if (!HTTP_VERSIONS.contains(version)) {
                d.error(s.arguments().get(0).position(), "http_protocol " + x + " is not a protocol version "
                        + "(expected 1.0, 1.0C or 1.1)", "write `http_protocol 1.1`");
                return;
            }
            c.httpProtocol = version;
        });
    }

    private static void digest(Statement s, LbDrafts.Url u, Diagnostics d) {
        Values.word(s, "digest MD5HEX", d).ifPresent(x -> {
            if (!x.matches("[0-9a-fA-F]{32}")) {
                d.error(s.arguments().get(0).position(), "digest " + x + " is not an MD5 digest (expected 32 hex "
                        + "digits)", "compute it with `genhash` or `curl -s URL | md5sum`");
                return;
            }
            u.digest = x.toLowerCase(Locale.ROOT);
        });
    }

    private static void statusCodes(Statement s, LbDrafts.Url u, Diagnostics d) {
        if (!Values.arguments(s, 1, Integer.MAX_VALUE, "status_code 200 [200-299 ...]", d)) {
            return;
        }
        for (Token value : s.arguments()) {
            String[] parts = value.text().split("-", -1);
            if (parts.length > 2) {
                d.error(value.position(), "status_code " + value.text() + " is not a code or range (expected "
                        + "100..599 or FROM-TO)", "write `status_code 200` or `status_code 200-299`");
                continue;
            }
            Token from = new Token(value.kind(), parts[0], value.quoted(), value.position(), value.logicalLine());
            Token to = new Token(value.kind(), parts[parts.length - 1], value.quoted(), value.position(),
                    value.logicalLine());
            java.util.OptionalInt low = Values.integer("status_code", from, 100, 599, d);
            java.util.OptionalInt high = parts.length == 1 ? low : Values.integer("status_code", to, 100, 599, d);
            if (low.isPresent() && high.isPresent()) {
                if (low.getAsInt() > high.getAsInt()) {
                    d.error(value.position(), "status_code range " + value.text() + " ends before it starts",
                            "write the smaller code first");
                } else {
                    u.statusCodes.add(new HttpUrl.StatusCodeRange(low.getAsInt(), high.getAsInt()));
                }
            }
        }
    }

    private static void dnsType(Statement s, LbDrafts.Checker c, Diagnostics d) {
        Values.word(s, "type A|NS|CNAME|SOA|MX|TXT|AAAA", d).ifPresent(x -> {
            String type = x.toUpperCase(Locale.ROOT);
            if (!DNS_TYPES.contains(type)) {
                d.error(s.arguments().get(0).position(), "type " + x + " is not a DNS query type (expected A, NS, "
                        + "CNAME, SOA, MX, TXT or AAAA)", "the default is SOA");
                return;
            }
            c.dnsType = type;
        });
    }

    /** keepalived's free-form hex: words of hex digits, each odd-length word padded on the left. */
    private static java.util.Optional<String> hex(Statement s, boolean wildcards, Diagnostics d) {
        if (!Values.arguments(s, wildcards ? 0 : 1, Integer.MAX_VALUE, s.name() + " HEX", d)) {
            return java.util.Optional.empty();
        }
        StringBuilder hex = new StringBuilder();
        for (Token word : s.arguments()) {
            String text = word.text();
            if (!text.matches(wildcards ? "[0-9a-fA-FxX]+" : "[0-9a-fA-F]+")) {
                d.error(word.position(), s.name() + " " + text + " is not hex (expected digits 0-9 and a-f"
                        + (wildcards ? ", or x for any" : "") + ")", "write bytes like `0a 1b 2c`");
                return java.util.Optional.empty();
            }
            if (text.length() % 2 == 1) {
                hex.append('0');
            }
            hex.append(text.toLowerCase(Locale.ROOT));
        }
        return java.util.Optional.of(hex.toString());
    }

    private static void requireReply(Statement s, LbDrafts.Checker c, Diagnostics d) {
        hex(s, true, d).ifPresent(x -> {
            c.requireReply = true;
            c.replyPattern = x.isEmpty() ? null : x;
        });
    }

    /** keepalived 2.2.7's check_file.c takes {@code noreverse} here too (track_file_weight_handler). */
    private static void fileWeight(Statement s, LbDrafts.Checker c, Diagnostics d) {
        if (!Values.arguments(s, 1, 2, "weight -2147483647..2147483647 [reverse|noreverse]", d)) {
            return;
        }
        if (s.arguments().size() == 2) {
            Optional<Boolean> reverse = VrrpScriptKeywords.direction(s.arguments().get(1), true, d);
            if (reverse.isEmpty()) {
                return;
            }
            c.fileReverse = reverse.get();
        }
        Values.integer("weight", s.arguments().get(0), -Integer.MAX_VALUE, Integer.MAX_VALUE, d)
                .ifPresent(x -> c.fileWeight = x);
    }
}
