package io.quorumvip.check;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One line an AGENT_CHECK agent sent, read as HAProxy 2.6 reads it (src/tcpcheck.c
 * {@code tcpcheck_agent_expect_reply}): the line ends at the first CR or LF; its words are separated by spaces, tabs
 * or commas; a {@code #} starts a free-text description. Words are matched without regard to case:
 * <ul>
 *   <li>a health word: {@code up}, {@code down}, {@code stopped}, {@code fail};</li>
 *   <li>an admin word: {@code ready}, {@code drain}, {@code maint};</li>
 *   <li>a weight: digits followed by {@code %} and nothing else, a percentage of the configured weight (held to
 *       25600 %, HAProxy's bound);</li>
 *   <li>{@code maxconn:N}, which HAProxy applies and this load balancer cannot (an nftables pool has no per-server
 *       connection limit), so it is kept as a problem.</li>
 * </ul>
 * The last word of each kind wins; any other word is a problem, as is a weight word with trailing garbage. Parsing
 * never throws: the bytes are read as ISO-8859-1, so every byte string is some line or none.
 *
 * @param line the line as received, non-printable characters shown as {@code ?}, cut to {@value #SHOWN} chars
 */
public record AgentReply(Optional<Health> health, Optional<Admin> admin, OptionalInt weightPercent,
                         List<String> problems, String description, String line) {

    /** HAProxy bounds a relative weight here before it scales ("avoid integer overflow"). */
    public static final int MAX_PERCENT = 25_600;

    /** How much of the line evidence carries. */
    static final int SHOWN = 120;

    /** What the agent says of the server's health. */
    public enum Health {
        UP, DOWN, STOPPED, FAIL;

        public boolean down() {
            return this != UP;
        }
    }

    /** What the agent asks of the server's place in the pool. */
    public enum Admin {
        /** in the pool with its weight */
        READY,
        /** weight 0: no new connection, established flows kept */
        DRAIN,
        /** out of the pool */
        MAINT
    }

    public AgentReply {
        problems = List.copyOf(problems);
    }

    /**
     * The first line of {@code received}, or empty when it holds no CR or LF before a NUL or its end: HAProxy
     * ignores such an incomplete line ("Ignoring incomplete line from agent") and changes nothing.
     */
    public static Optional<AgentReply> parse(byte[] received) {
        String text = new String(received, StandardCharsets.ISO_8859_1);
        int end = 0;
        while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
            if (text.charAt(end) == '\0') {
                return Optional.empty();
            }
            end++;
        }
        if (end == text.length()) {
            return Optional.empty();
        }
        return Optional.of(parseLine(text.substring(0, end)));
    }

    private static AgentReply parseLine(String line) {
        Health health = null;
        Admin admin = null;
        Integer percent = null;
        List<String> problems = new ArrayList<>();
        String description = "";
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == ',') {
                i++;
                continue;
            }
            if (c == '#') {
                description = line.substring(i + 1).strip();
                break;
            }
            int wordEnd = i + 1;
            while (wordEnd < line.length() && " \t,".indexOf(line.charAt(wordEnd)) < 0) {
                wordEnd++;
            }
            String word = line.substring(i, wordEnd);
            String lower = word.toLowerCase(Locale.ROOT);
            switch (lower) {
                case "up" -> health = Health.UP;
                case "down" -> health = Health.DOWN;
                case "stopped" -> health = Health.STOPPED;
                case "fail" -> health = Health.FAIL;
                case "ready" -> admin = Admin.READY;
                case "drain" -> admin = Admin.DRAIN;
                case "maint" -> admin = Admin.MAINT;
                default -> {
                    if (isDigit(word.charAt(0)) && word.indexOf('%') >= 0) {
                        OptionalInt parsed = percent(word);
                        if (parsed.isPresent()) {
                            percent = parsed.getAsInt();
                        } else {
                            problems.add("weight `" + shown(word) + "` is not a percentage like 75% (ignored)");
                        }
                    } else if (lower.startsWith("maxconn:")) {
                        problems.add("`" + shown(word) + "` ignored: an nftables pool has no per-server "
                                + "connection limit");
                    } else {
                        problems.add("unknown word `" + shown(word) + "` (ignored)");
                    }
                }
            }
            i = wordEnd;
        }
        return new AgentReply(Optional.ofNullable(health), Optional.ofNullable(admin),
                percent == null ? OptionalInt.empty() : OptionalInt.of(percent), problems, shown(description),
                shown(line));
    }

    /** Digits then {@code %} and nothing more, as HAProxy's {@code server_parse_weight_change_request} wants. */
    private static OptionalInt percent(String word) {
        int digits = 0;
        while (digits < word.length() && isDigit(word.charAt(digits))) {
            digits++;
        }
        if (digits != word.length() - 1 || word.charAt(digits) != '%') {
            return OptionalInt.empty();
        }
        BigInteger value = new BigInteger(word.substring(0, digits));
        return OptionalInt.of(value.min(BigInteger.valueOf(MAX_PERCENT)).intValueExact());
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** {@code text} for evidence: non-printable characters as {@code ?}, cut to {@value #SHOWN} characters. */
    static String shown(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < SHOWN; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return text.length() > SHOWN ? out + "…" : out.toString();
    }
}
