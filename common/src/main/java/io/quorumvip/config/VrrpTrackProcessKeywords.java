package io.quorumvip.config;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

/** Handlers for the keywords of a {@code vrrp_track_process} block. */
final class VrrpTrackProcessKeywords {

    private static final BigDecimal ONE_HOUR = BigDecimal.valueOf(3_600);
    private static final int DELAY_DECIMALS = 6;
    private static final Set<String> PARAM_MATCHES = Set.of("initial", "partial");

    static final KeywordTable<Drafts.TrackProcess> TABLE =
            KeywordTable.<Drafts.TrackProcess>forBlock("vrrp_track_process")
                    .keyword("process", VrrpTrackProcessKeywords::process)
                    .keyword("param_match", VrrpTrackProcessKeywords::paramMatch)
                    .keyword("weight", VrrpTrackProcessKeywords::weight)
                    .keyword("quorum", (s, v, d) -> Values.integer(s, 1, 65_535, d).ifPresent(x -> v.quorum = x))
                    .keyword("quorum_max", (s, v, d) ->
                            Values.integer(s, 0, 65_535, d).ifPresent(x -> v.quorumMax = x))
                    .keyword("fork_delay", (s, v, d) -> Values.duration(s, BigDecimal.ZERO, ONE_HOUR, DELAY_DECIMALS,
                            d).ifPresent(x -> v.forkDelay = x))
                    .keyword("terminate_delay", (s, v, d) -> Values.duration(s, BigDecimal.ZERO, ONE_HOUR,
                            DELAY_DECIMALS, d).ifPresent(x -> v.terminateDelay = x))
                    .keyword("delay", (s, v, d) -> Values.duration(s, BigDecimal.ZERO, ONE_HOUR, DELAY_DECIMALS, d)
                            .ifPresent(x -> v.delay = x))
                    .keyword("full_command", (s, v, d) -> {
                        if (Values.arguments(s, 0, 0, "full_command", d)) {
                            v.fullCommand = true;
                        }
                    })
                    .validElsewhere(KeepalivedKeywords.TOP_LEVEL_SUPPORTED)
                    .build();

    private VrrpTrackProcessKeywords() {
    }

    /** {@code process NAME [PARAM ...]}: a quoted word is one element, quotes removed, as in keepalived. */
    private static void process(Statement s, Drafts.TrackProcess v, Diagnostics d) {
        if (Values.arguments(s, 1, Integer.MAX_VALUE, "process NAME [PARAMETER ...]", d)) {
            List<String> words = s.argumentTexts();
            v.process = words.get(0);
            v.parameters = List.copyOf(words.subList(1, words.size()));
        }
    }

    private static void paramMatch(Statement s, Drafts.TrackProcess v, Diagnostics d) {
        Values.word(s, "param_match initial|partial", d).ifPresent(word -> {
            if (PARAM_MATCHES.contains(word)) {
                v.paramMatch = word;
            } else {
                d.error(s.arguments().get(0).position(), "param_match " + word + " is not a match mode",
                        "write `param_match initial` or `param_match partial`");
            }
        });
    }

    private static void weight(Statement s, Drafts.TrackProcess v, Diagnostics d) {
        VrrpScriptKeywords.trackerWeight(s, VrrpTrackProcess.MAX_WEIGHT, d).ifPresent(x -> {
            v.weight = x.weight();
            v.reverse = x.reverse();
        });
    }
}
