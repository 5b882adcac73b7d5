package io.quorumvip.lease;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class KernelLifetimeTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldAlignTheLifetimeToEndJustBeforeValidity() {
        long now = 10 * SECOND;
        long validUntil = now + 2_700_000_000L;

        assertThat(KernelLifetime.alignedRenewalAt(validUntil, now, now + SECOND))
                .hasValue(validUntil - KernelLifetime.RENEWAL_CUSHION_NANOS - 2 * SECOND);
    }

    @Test
    void shouldNotRenewWhenLessThanASecondWouldBeLeft() {
        long now = 10 * SECOND;

        assertThat(KernelLifetime.alignedRenewalAt(now + 1_050_000_000L, now, 0)).isEmpty();
    }

    @Test
    void shouldNotRenewWhenTheCurrentLifetimeAlreadyEndsAsLate() {
        long now = 10 * SECOND;
        long validUntil = now + 2_700_000_000L;
        long alreadyAligned = validUntil - KernelLifetime.RENEWAL_CUSHION_NANOS;

        assertThat(KernelLifetime.alignedRenewalAt(validUntil, now, alreadyAligned)).isEmpty();
    }

    @Test
    void shouldNeverShortenALifetime() {
        assertThat(KernelLifetime.extendsLifetime(5 * SECOND, 2, 7 * SECOND)).isFalse();
        assertThat(KernelLifetime.extendsLifetime(5 * SECOND + 1, 2, 7 * SECOND)).isTrue();
    }

    @Property
    void alignedLifetimeShouldEndWithinValidityAndAfterTheCurrentOne(
            @ForAll @LongRange(min = 0, max = 100_000_000_000L) long now,
            @ForAll @LongRange(min = 0, max = 20_000_000_000L) long validFor,
            @ForAll @LongRange(min = -20_000_000_000L, max = 20_000_000_000L) long currentEndOffset) {
        long validUntil = now + validFor;
        long currentEnd = now + currentEndOffset;

        KernelLifetime.alignedRenewalAt(validUntil, now, currentEnd).ifPresent(renewAt -> {
            long seconds = LeaseTiming.kernelLifetimeSeconds(validUntil, renewAt);
            assertThat(renewAt).isGreaterThanOrEqualTo(now);
            assertThat(renewAt + seconds * SECOND).isLessThan(validUntil).isGreaterThan(currentEnd);
        });
    }

    @Test
    void shouldWaitToRenewUntilTheLifetimeNearsItsEnd() {
        long now = 10 * SECOND;
        long validUntil = now + 4_700_000_000L;
        long currentEnd = now + 4 * SECOND;

        assertThat(KernelLifetime.renewalAt(validUntil, now, currentEnd))
                .hasValue(validUntil - KernelLifetime.RENEWAL_CUSHION_NANOS - 3 * SECOND);
    }

    @Test
    void shouldRenewNowWhenTheLeadHasPassedAndARenewalExtendsTheLifetime() {
        long now = 10 * SECOND;
        long validUntil = now + 4_700_000_000L;

        assertThat(KernelLifetime.renewalAt(validUntil, now, now + SECOND)).hasValue(now);
    }

    @Test
    void shouldNotRenewWhenNoLifetimeEndsLaterThanTheCurrentOne() {
        long now = 10 * SECOND;
        long validUntil = now + 2_700_000_000L;

        assertThat(KernelLifetime.renewalAt(validUntil, now, validUntil - KernelLifetime.RENEWAL_CUSHION_NANOS))
                .isEmpty();
    }

    @Property
    void renewalShouldEndWithinValidityAfterTheCurrentLifetimeAndComeBeforeItEnds(
            @ForAll @LongRange(min = 0, max = 100_000_000_000L) long now,
            @ForAll @LongRange(min = 0, max = 20_000_000_000L) long validFor,
            @ForAll @LongRange(min = -20_000_000_000L, max = 20_000_000_000L) long currentEndOffset) {
        long validUntil = now + validFor;
        long currentEnd = now + currentEndOffset;

        KernelLifetime.renewalAt(validUntil, now, currentEnd).ifPresent(renewAt -> {
            long seconds = LeaseTiming.kernelLifetimeSeconds(validUntil, renewAt);
            assertThat(renewAt).isGreaterThanOrEqualTo(now);
            assertThat(seconds).isPositive();
            assertThat(renewAt + seconds * SECOND).isLessThanOrEqualTo(validUntil).isGreaterThan(currentEnd);
            if (currentEnd - KernelLifetime.RENEWAL_LEAD_NANOS - now >= 0) {
                assertThat(renewAt).isLessThanOrEqualTo(currentEnd - KernelLifetime.RENEWAL_LEAD_NANOS + SECOND);
            }
        });
    }
}
