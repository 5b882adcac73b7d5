package io.quorumvip.instance;

import static io.quorumvip.instance.CoreDriver.SECOND;
import static io.quorumvip.instance.CoreDriver.SESSION;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.lease.LeaseTiming;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The core's lease validity against a model that keeps every answer: validUntil = S − margin after the latest
 * send time answered on the latch's session, counting the acquisition check, whatever the order of the answers;
 * an answer from another session or older than the latest never moves it.
 */
class LeaseBookkeepingProperties {

    private static final LeaseTiming TIMING = LeaseTiming.of(Duration.ofNanos(CoreDriver.SESSION_TIMEOUT),
            Duration.ofNanos(CoreDriver.ENSEMBLE_TICK));

    /** An answered confirmation: on the latch's session or not, sent this long after (or before) the acquisition. */
    record Answer(boolean sameSession, long sentAfterAcquisitionNanos) {
    }

    @Property(tries = 300)
    void validityShouldFollowTheLatestAnswerOnTheSessionInAnyOrder(@ForAll("answers") List<Answer> answers) {
        CoreDriver driver = CoreDriver.leased(150);
        long acquiredSent = driver.startAsMaster();
        driver.step(new InstanceInput.LatchAcquired(SESSION, 7, acquiredSent));
        long latest = acquiredSent;
        long previousValidFor = Long.MAX_VALUE;
        for (Answer answer : answers) {
            long sent = acquiredSent + answer.sentAfterAcquisitionNanos();
            driver.step(new InstanceInput.ConfirmationAnswered(answer.sameSession() ? SESSION : SESSION + 1, sent));
            if (answer.sameSession()) {
                latest = Math.max(latest, sent);
            }
            long expected = Math.max(0, TIMING.validUntil(latest) - driver.now());
            long validFor = driver.core().view(driver.now()).validForNanos();
            assertThat(validFor).isEqualTo(expected);
            assertThat(previousValidFor == Long.MAX_VALUE || validFor >= previousValidFor)
                    .as("validity never moves back").isTrue();
            previousValidFor = validFor;
        }
    }

    @Provide
    Arbitrary<List<Answer>> answers() {
        Arbitrary<Answer> answer = Combinators.combine(Arbitraries.of(true, true, true, false),
                Arbitraries.longs().between(-2 * SECOND, 2 * SECOND)).as(Answer::new);
        return answer.list().ofMinSize(1).ofMaxSize(20);
    }
}
