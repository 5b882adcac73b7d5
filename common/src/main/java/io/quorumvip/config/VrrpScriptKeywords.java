package io.quorumvip.config;

import java.math.BigDecimal;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/** Handlers for the keywords of a {@code vrrp_script} block. */
final class VrrpScriptKeywords {

    private static final BigDecimal MIN_INTERVAL = new BigDecimal("0.001");
    private static final BigDecimal ONE_DAY = BigDecimal.valueOf(86_400);

    static final KeywordTable<Drafts.Script> TABLE = KeywordTable.<Drafts.Script>forBlock("vrrp_script")
            .keyword("script", VrrpScriptKeywords::script)
            .keyword("interval", (s, v, d) ->
                    Values.duration(s, MIN_INTERVAL, ONE_DAY, 3, d).ifPresent(x -> v.interval = x))
            .keyword("timeout", (s, v, d) ->
                    Values.duration(s, MIN_INTERVAL, ONE_DAY, 3, d).ifPresent(x -> v.timeout = x))
            .keyword("weight", VrrpScriptKeywords::weight)
            .keyword("rise", (s, v, d) -> Values.integer(s, 1, 1_000_000, d).ifPresent(x -> v.rise = x))
            .keyword("fall", (s, v, d) -> Values.integer(s, 1, 1_000_000, d).ifPresent(x -> v.fall = x))
            .keyword("user", (s, v, d) -> {
                if (Values.arguments(s, 1, 2, "user USER [GROUP]", d)) {
                    v.user = String.join(" ", s.argumentTexts().subList(0, Math.min(2, s.arguments().size())));
                }
            })
            .notSupported(KeepalivedKeywords.VRRP_SCRIPT_NOT_SUPPORTED)
            .validElsewhere(KeepalivedKeywords.TOP_LEVEL_SUPPORTED)
            .build();

    static final int MAX_WEIGHT = 253;

    private VrrpScriptKeywords() {
    }

    private static void script(Statement s, Drafts.Script v, Diagnostics d) {
        if (Values.arguments(s, 1, Integer.MAX_VALUE, "script \"/path/check.sh ARGS\"", d)) {
            v.script = s.arguments().stream().map(Token::text).collect(Collectors.joining(" "));
        }
    }

    private static void weight(Statement s, Drafts.Script v, Diagnostics d) {
        trackerWeight(s, MAX_WEIGHT, d).ifPresent(x -> v.weight = x);
    }

    /** A tracker block's {@code weight N [reverse|noreverse]}, N in −max..max. */
    static OptionalInt trackerWeight(Statement s, int max, Diagnostics d) {
        if (!Values.arguments(s, 1, 2, "weight -" + max + ".." + max, d)) {
            return OptionalInt.empty();
        }
        List<Token> args = s.arguments();
        if (args.size() >= 2) {
            reverseNotSupported(args.get(1), d);
        }
        return Values.integer("weight", args.get(0), -max, max, d);
    }

    /**
     * keepalived's {@code reverse} flips a weight's direction; we do not implement it, and say so.
     * {@code noreverse} is the normal direction, so it needs no word.
     */
    static void reverseNotSupported(Token word, Diagnostics d) {
        if (word.text().equals("reverse")) {
            d.notSupportedYet(word.position(), "reverse");
        } else if (word.text().equals("noreverse")) {
            return;
        } else {
            d.error(word.position(), "unexpected `" + word.text() + "` after the weight",
                    "only `reverse` or `noreverse` may follow a weight");
        }
    }
}
