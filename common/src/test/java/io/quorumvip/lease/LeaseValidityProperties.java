package io.quorumvip.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Random histories of requests, answers (in any order, late, duplicated, from old sessions), failures, session
 * changes and the passing of time, checked against a model that keeps every request ever sent.
 */
class LeaseValidityProperties {

    private static final long MS = 1_000_000L;

    sealed interface Step permits Send, Answer, Fail, NewSession, EndSession, Wait {
    }

    record Send() implements Step {
    }

    /** Answers the request at {@code pick} modulo the number sent so far, whatever its session. */
    record Answer(int pick) implements Step {
    }

    record Fail(int pick) implements Step {
    }

    record NewSession() implements Step {
    }

    record EndSession() implements Step {
    }

    record Wait(long millis) implements Step {
    }

    /** Every request ever sent and what became of it first: the oracle for validity. */
    private static final class Model {
        final List<LeaseRequest> sent = new ArrayList<>();
        final List<LeaseRequest> answered = new ArrayList<>();
        final List<LeaseRequest> failed = new ArrayList<>();
        long session;

        void answer(LeaseRequest request) {
            if (!answered.contains(request) && !failed.contains(request)) {
                answered.add(request);
            }
        }

        void fail(LeaseRequest request) {
            if (!answered.contains(request) && !failed.contains(request)) {
                failed.add(request);
            }
        }

        /** The latest bound of a request of the current session answered before it failed. */
        OptionalLong expectedValidUntil(LeaseTiming timing) {
            return answered.stream()
                    .filter(r -> r.sessionId() == session)
                    .mapToLong(r -> timing.validUntil(r.sendNanos()))
                    .reduce((a, b) -> a - b >= 0 ? a : b);
        }
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.just(new Send())),
                Tuple.of(5, Arbitraries.integers().between(0, 1000).map(Answer::new)),
                Tuple.of(1, Arbitraries.integers().between(0, 1000).map(Fail::new)),
                Tuple.of(1, Arbitraries.just(new NewSession())),
                Tuple.of(1, Arbitraries.just(new EndSession())),
                Tuple.of(4, Arbitraries.longs().between(0, 3_000).map(Wait::new)));
        return step.list().ofMaxSize(50);
    }

    @Provide
    Arbitrary<Long> starts() {
        // Near the wrap of System.nanoTime as well as ordinary values.
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 1L << 40),
                Arbitraries.longs().between(Long.MAX_VALUE - 60_000 * MS, Long.MAX_VALUE));
    }

    @Property(tries = 500)
    void validityIsAlwaysTheLatestBoundOfAnAnsweredRequestOfTheCurrentSession(
            @ForAll("histories") List<Step> history, @ForAll("starts") long start,
            @ForAll @IntRange(min = 3_000, max = 60_000) int sessionTimeoutMillis) {
        Duration s = Duration.ofMillis(sessionTimeoutMillis);
        LeaseTiming timing = LeaseTiming.of(s);
        LeaseValidity validity = new LeaseValidity();
        Model model = new Model();
        long now = start;
        long nextSession = 1;
        OptionalLong previous = OptionalLong.empty();
        long previousSession = 0;
        for (Step step : history) {
            if (step instanceof Send && validity.hasSession()) {
                model.sent.add(validity.requestSent(now));
            } else if (step instanceof Answer answer && !model.sent.isEmpty()) {
                LeaseRequest request = model.sent.get(answer.pick() % model.sent.size());
                validity.answered(request);
                model.answer(request);
            } else if (step instanceof Fail fail && !model.sent.isEmpty()) {
                LeaseRequest request = model.sent.get(fail.pick() % model.sent.size());
                validity.failed(request);
                model.fail(request);
            } else if (step instanceof NewSession) {
                model.session = nextSession++;
                validity.sessionStarted(model.session, s);
            } else if (step instanceof EndSession) {
                model.session = 0;
                validity.sessionEnded();
            } else if (step instanceof Wait wait) {
                now += wait.millis() * MS;
            }

            OptionalLong expected = model.expectedValidUntil(timing);
            assertThat(validity.validUntil()).as("after %s", step).isEqualTo(expected);
            if (validity.isValid(now)) {
                // Safety: some answered request of this session proves validity beyond now.
                long at = now;
                assertThat(model.answered).anySatisfy(r -> {
                    assertThat(r.sessionId()).isEqualTo(validity.sessionId());
                    assertThat(at - (r.sendNanos() + s.toNanos() - timing.marginNanos())).isNegative();
                });
            }
            if (previous.isPresent() && validity.validUntil().isPresent() && previousSession == model.session) {
                assertThat(validity.validUntil().getAsLong() - previous.getAsLong()).as("never moves back")
                        .isNotNegative();
            }
            previous = validity.validUntil();
            previousSession = model.session;
        }
    }

    @Property(tries = 300)
    void answersInAnyOrderGiveTheSameValidity(@ForAll @IntRange(min = 1, max = 20) int requests,
            @ForAll("starts") long start, @ForAll long seed) {
        Duration s = Duration.ofSeconds(4);
        LeaseValidity inOrder = new LeaseValidity();
        LeaseValidity shuffled = new LeaseValidity();
        inOrder.sessionStarted(9, s);
        shuffled.sessionStarted(9, s);
        List<LeaseRequest> sent = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            long at = start + i * 700 * MS;
            sent.add(inOrder.requestSent(at));
            shuffled.requestSent(at);
        }
        List<LeaseRequest> order = new ArrayList<>(sent);
        Collections.shuffle(order, new Random(seed));

        sent.forEach(inOrder::answered);
        order.forEach(shuffled::answered);

        long newest = sent.get(sent.size() - 1).sendNanos();
        assertThat(shuffled.validUntil()).isEqualTo(inOrder.validUntil())
                .hasValue(LeaseTiming.of(s).validUntil(newest));
    }

    @Property(tries = 1000)
    void theKernelLifetimeIsTheLargestWholeSecondCountThatEndsByTheValidityBound(
            @ForAll("starts") long now, @ForAll @LongRange(min = -5_000, max = 700_000) long leftMillis,
            @ForAll @IntRange(min = 0, max = 999_999) int extraNanos) {
        long validUntil = now + leftMillis * MS + extraNanos;
        long seconds = LeaseTiming.kernelLifetimeSeconds(validUntil, now);

        if (seconds == 0) {
            assertThat(validUntil - now).isLessThan(1_000 * MS);
        } else {
            assertThat(seconds).isPositive();
            assertThat(validUntil - (now + seconds * 1_000 * MS)).as("ends by the bound").isNotNegative();
            assertThat(validUntil - (now + (seconds + 1) * 1_000 * MS)).as("largest such count").isNegative();
        }
    }

    @Property(tries = 200)
    void noLifetimeIsProgrammedWithoutAProvenLease(@ForAll("starts") long now,
            @ForAll @LongRange(min = 0, max = 10_000) long laterMillis) {
        LeaseValidity validity = new LeaseValidity();
        validity.sessionStarted(3, Duration.ofSeconds(4));
        LeaseRequest request = validity.requestSent(now);
        validity.sessionStarted(4, Duration.ofSeconds(4));
        validity.answered(request);

        assertThat(validity.kernelLifetimeSeconds(now + laterMillis * MS)).isZero();
        assertThat(validity.isValid(now + laterMillis * MS)).isFalse();
    }
}
