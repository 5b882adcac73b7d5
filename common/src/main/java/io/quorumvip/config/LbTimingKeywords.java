package io.quorumvip.config;

import java.math.BigDecimal;
import java.util.function.Function;

/**
 * The keywords a virtual server, a real server and most checkers share (delay_loop, connect_timeout, retry,
 * delay_before_retry, warmup, alpha, and quorum-vip's rise): one set of handlers, added to each block's table.
 */
final class LbTimingKeywords {

    static final BigDecimal MIN_TIMER = new BigDecimal("0.001");
    static final BigDecimal MAX_TIMER = BigDecimal.valueOf(86_400);
    static final int MAX_RETRY = 1_000_000;

    private LbTimingKeywords() {
    }

    static <T> KeywordTable.Builder<T> add(KeywordTable.Builder<T> table, Function<T, LbDrafts.Timing> timing) {
        return table
                .keyword("delay_loop", (s, v, d) -> Values.duration(s, MIN_TIMER, MAX_TIMER, 3, d)
                        .ifPresent(x -> timing.apply(v).delayLoop = x))
                .keyword("connect_timeout", (s, v, d) -> Values.duration(s, MIN_TIMER, MAX_TIMER, 3, d)
                        .ifPresent(x -> timing.apply(v).connectTimeout = x))
                .keyword("retry", (s, v, d) -> retry(s, timing.apply(v), d))
                .keyword("nb_get_retry", (s, v, d) -> retry(s, timing.apply(v), d))
                .keyword("delay_before_retry", (s, v, d) -> Values.duration(s, BigDecimal.ZERO, MAX_TIMER, 3, d)
                        .ifPresent(x -> timing.apply(v).delayBeforeRetry = x))
                .keyword("warmup", (s, v, d) -> Values.duration(s, BigDecimal.ZERO, MAX_TIMER, 3, d)
                        .ifPresent(x -> timing.apply(v).warmup = x))
                .keyword("alpha", (s, v, d) -> Values.optionalBoolean(s, d).ifPresent(x -> timing.apply(v).alpha = x))
                // Ours, not keepalived's: HAProxy's damping, N successes in a row before a failed checker is up.
                .keyword("rise", (s, v, d) -> Values.integer(s, 1, MAX_RETRY, d)
                        .ifPresent(x -> timing.apply(v).rise = x));
    }

    /** {@code inhibit_on_failure} and {@code virtualhost}: valid for virtual and real servers, not in checkers. */
    static <T> KeywordTable.Builder<T> addServerDefaults(KeywordTable.Builder<T> table,
                                                       Function<T, LbDrafts.Timing> timing) {
        return add(table, timing)
                .keyword("inhibit_on_failure", (s, v, d) -> Values.optionalBoolean(s, d)
                        .ifPresent(x -> timing.apply(v).inhibitOnFailure = x))
                .keyword("virtualhost", (s, v, d) -> Values.word(s, "virtualhost HOST", d)
                        .ifPresent(x -> timing.apply(v).virtualhost = x));
    }

    private static void retry(Statement s, LbDrafts.Timing timing, Diagnostics d) {
        Values.integer(s, 0, MAX_RETRY, d).ifPresent(x -> timing.retry = x);
    }

    /** A port 1..65535 (or 0..65535 where 0 means "the client's port"). */
    static java.util.OptionalInt port(String keyword, Token value, int min, Diagnostics d) {
        return Values.integer(keyword + " port", value, min, 65_535, d);
    }
}
