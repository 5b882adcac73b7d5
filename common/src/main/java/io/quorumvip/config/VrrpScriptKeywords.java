package io.quorumvip.config;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
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
        trackerWeight(s, MAX_WEIGHT, d).ifPresent(x -> {
            v.weight = x.weight();
            v.reverse = x.reverse();
        });
    }

    /** A tracker block's weight and direction. */
    record BlockWeight(int weight, boolean reverse) {
    }

    /**
     * A tracker block's {@code weight N [reverse]}, N in −max..max. keepalived 2.2.7 (vrrp_parser.c) knows only
     * {@code reverse} here; {@code noreverse}, which only a tracking entry may say, it reports and runs as normal.
     */
    static Optional<BlockWeight> trackerWeight(Statement s, int max, Diagnostics d) {
        if (!Values.arguments(s, 1, 2, "weight -" + max + ".." + max + " [reverse]", d)) {
            return Optional.empty();
        }
        List<Token> args = s.arguments();
        boolean reverse = false;
        if (args.size() >= 2) {
            Optional<Boolean> direction = direction(args.get(1), false, d);
            if (direction.isEmpty()) {
                return Optional.empty();
            }
            reverse = direction.get();
        }
        OptionalInt weight = Values.integer("weight", args.get(0), -max, max, d);
        return weight.isPresent() ? Optional.of(new BlockWeight(weight.getAsInt(), reverse)) : Optional.empty();
    }

    /**
     * The word after a weight: {@code reverse} (true), {@code noreverse} (false), or an error at any other word
     * (empty): a misspelt {@code reverse} would run the other way than written. keepalived 2.2.7 takes
     * {@code noreverse} only in an instance's or sync group's track_script, track_file and track_process entries (and
     * a FILE_CHECK), where it undoes the tracker block's {@code reverse}; elsewhere it reports it as an unknown weight
     * option and runs the normal direction, which is what the word says, so that is a warning.
     */
    static Optional<Boolean> direction(Token word, boolean noreverseAllowed, Diagnostics d) {
        if (word.text().equals("reverse")) {
            return Optional.of(true);
        }
        if (word.text().equals("noreverse")) {
            if (!noreverseAllowed) {
                d.warning(word.position(), "keepalived 2.2.7 does not take `noreverse` here; the weight keeps its "
                        + "normal direction, as keepalived runs it", "remove `noreverse`");
            }
            return Optional.of(false);
        }
        d.error(word.position(), "unexpected `" + word.text() + "` after the weight",
                noreverseAllowed ? "only `reverse` or `noreverse` may follow a weight"
                        : "only `reverse` may follow the weight here");
        return Optional.empty();
    }
}
