package io.quorumvip.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.config.CheckKind;
import io.quorumvip.config.RealServerConfig;
import io.quorumvip.config.SourcePosition;
import io.quorumvip.config.VrrpTrackFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** keepalived's FILE_CHECK (check_file.c, track_file.c) held for any value, weight and direction. */
class FileCheckProperties {

    private static final Path FILE = Path.of("/run/qvip/rs1.weight");
    private static final Duration READ = Duration.ofMillis(1);
    private static final long INT_LIMIT = 1L << 31;

    private static FileCheck check(int weight, boolean reverse) {
        return new FileCheck("rs1", FILE, weight, reverse);
    }

    /** value × weight × ±1, in exact arithmetic, held to the int range as keepalived's weight_range does. */
    private static long expectedStatus(long value, int weight, boolean reverse) {
        long held = Math.max(-INT_LIMIT, Math.min(INT_LIMIT, value));
        long product = held * weight * (reverse ? -1 : 1);
        return Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, product));
    }

    @Property
    void shouldBeDownWithWeightZeroExactlyWhileTheValueIsNotZeroOrWithReverseWhileItIs(
            @ForAll @LongRange(min = -3_000_000_000L, max = 3_000_000_000L) long value, @ForAll boolean reverse) {
        ProbeResult result = check(0, reverse).result(value, READ);

        assertThat(result.success()).isEqualTo(reverse ? value != 0 : value == 0);
        assertThat(result.detail()).contains("reads " + value);
        if (result.success()) {
            assertThat(result.weightOffset()).hasValue(0);
        }
    }

    @Property
    void shouldAddValueTimesWeightNegatedByReverseAndFaultOnlyAtTheIntMinimum(
            @ForAll @LongRange(min = -3_000_000_000L, max = 3_000_000_000L) long value,
            @ForAll @IntRange(min = -Integer.MAX_VALUE) int weight, @ForAll boolean reverse) {
        if (weight == 0) {
            return;
        }
        long status = expectedStatus(value, weight, reverse);

        ProbeResult result = check(weight, reverse).result(value, READ);

        assertThat(result.success()).isEqualTo(status != Integer.MIN_VALUE);
        if (result.success()) {
            assertThat(result.weightOffset()).hasValue((int) status);
        } else {
            assertThat(result.detail()).contains("fault level");
        }
    }

    @Property
    void shouldWeighTheRealServerItsConfiguredWeightPlusTheOffsetClampedToTheWeightRange(
            @ForAll @IntRange(max = RealServerConfig.MAX_WEIGHT) int configured,
            @ForAll @IntRange(min = -100_000, max = 100_000) int value,
            @ForAll @IntRange(min = -300, max = 300) int weight) {
        if (weight == 0) {
            return;
        }
        RealServerHealth health = RealServerHealth.initial(List.of(FileCheck.RULES));

        health = health.next(0, check(weight, false).result(value, READ)).health();

        long expected = Math.max(0, Math.min(RealServerConfig.MAX_WEIGHT, (long) configured + (long) value * weight));
        assertThat(health.weight(configured)).isEqualTo((int) expected);
        assertThat(health.alive()).isTrue();
    }

    @Property
    void shouldGoDownOnTheFirstFaultingReadAndUpOnTheFirstReadOutOfIt(
            @ForAll @IntRange(min = 1, max = 1_000) int nonZero, @ForAll @IntRange(max = 5) int faultsInARow) {
        FileCheck check = check(0, false);
        RealServerHealth health = RealServerHealth.initial(List.of(FileCheck.RULES));
        health = health.next(0, check.result(0, READ)).health();

        RealServerHealth.Step down = health.next(0, check.result(nonZero, READ));
        assertThat(down.transition()).hasValueSatisfying(t -> {
            assertThat(t.alive()).isFalse();
            assertThat(t.cause().consecutive()).isEqualTo(1);
            assertThat(t.cause().evidence().detail()).contains("reads " + nonZero);
        });
        health = down.health();
        for (int i = 0; i < faultsInARow; i++) {
            RealServerHealth.Step again = health.next(0, check.result(nonZero, READ));
            assertThat(again.transition()).isEmpty();
            health = again.health();
        }
        RealServerHealth.Step up = health.next(0, check.result(0, READ));
        assertThat(up.transition()).hasValueSatisfying(t -> assertThat(t.alive()).isTrue());
        assertThat(up.delayNanos()).isEqualTo(FileCheck.POLL.toNanos());
    }

    @Test
    void shouldDecideTheFirstStateFromTheFirstReadWithNoAlphaAndNoRetry() {
        RealServerHealth health = RealServerHealth.initial(List.of(FileCheck.RULES));

        RealServerHealth.Step first = health.next(0, check(0, false).result(1, READ));

        assertThat(first.transition()).hasValueSatisfying(t -> assertThat(t.alive()).isFalse());
        assertThat(FileCheck.RULES.retry()).isZero();
        assertThat(FileCheck.RULES.alpha()).isFalse();
        assertThat(FileCheck.RULES.warmupNanos()).isZero();
    }

    @Test
    void shouldAddNothingAfterAFaultAndTheConfiguredWeightAgainOnceTheFileReadsZero() {
        FileCheck check = check(-1, false);
        RealServerHealth health = RealServerHealth.initial(List.of(FileCheck.RULES));
        health = health.next(0, check.result(20, READ)).health();
        assertThat(health.weight(50)).isEqualTo(30);

        health = health.next(0, check.result(Integer.MAX_VALUE + 1L, READ)).health();
        assertThat(health.alive()).as("2^31 × −1 is the int minimum: the fault level").isFalse();
        assertThat(health.weight(50)).isEqualTo(50);

        health = health.next(0, check.result(0, READ)).health();
        assertThat(health.alive()).isTrue();
        assertThat(health.weight(50)).isEqualTo(50);
    }

    @Test
    void shouldSayWhatWasReadWhenTheFileIsMissingUnreadableOrIgnored() {
        FileCheck check = check(0, false);

        assertThat(check.missing(READ).success()).isTrue();
        assertThat(check.missing(READ).detail()).contains("is missing, so reads 0");
        assertThat(check.unreadable("AccessDeniedException", READ).detail()).contains("AccessDeniedException")
                .contains("so reads 0");
        ProbeResult kept = check.ignored(4, READ);
        assertThat(kept.success()).as("still the last value, 4, not 0").isFalse();
        assertThat(kept.detail()).contains("beyond ±2^31").contains("still reads 4");
    }

    @Test
    void shouldAddTheOffsetsOfSeveralFileChecksToTheMiscDynamicWeight() {
        CheckRules misc = new CheckRules(0, 1, 1_000_000_000L, 1_000_000_000L, 0, false);
        RealServerHealth health = RealServerHealth.initial(List.of(misc, FileCheck.RULES, FileCheck.RULES));
        health = health.next(0, ProbeResult.exit(12, true, READ)).health();
        health = health.next(1, check(2, false).result(3, READ)).health();
        health = health.next(2, check(5, true).result(1, READ)).health();

        assertThat(health.weight(4)).as("misc_dynamic 10, then +6 and −5").isEqualTo(11);
    }

    @Test
    void shouldTakeItsOwnWeightOrElseTheTrackFilesAndKeepAnExplicitZero() {
        VrrpTrackFile file = new VrrpTrackFile("rs1", FILE, 7, false, OptionalLong.empty(), false,
                new SourcePosition(Path.of("keepalived.conf"), 1, 1));

        assertThat(FileCheck.of(new CheckKind.File("rs1", false, OptionalInt.empty(), false), file))
                .isEqualTo(new FileCheck("rs1", FILE, 7, false));
        assertThat(FileCheck.of(new CheckKind.File("rs1", false, OptionalInt.of(-3), true), file))
                .isEqualTo(new FileCheck("rs1", FILE, -3, true));
        assertThat(FileCheck.of(new CheckKind.File("rs1", false, OptionalInt.of(0), false), file).weight())
                .isZero();
    }

    @Test
    void shouldInheritTheTrackFilesReverseOnlyWithItsWeight() {
        VrrpTrackFile reversed = new VrrpTrackFile("rs1", FILE, 7, true, OptionalLong.empty(), false,
                new SourcePosition(Path.of("keepalived.conf"), 1, 1));

        assertThat(FileCheck.of(new CheckKind.File("rs1", false, OptionalInt.empty(), false), reversed))
                .isEqualTo(new FileCheck("rs1", FILE, 7, true));
        assertThat(FileCheck.of(new CheckKind.File("rs1", false, OptionalInt.of(4), false), reversed))
                .as("a FILE_CHECK weight of its own comes with its own direction, as file_end_handler has it")
                .isEqualTo(new FileCheck("rs1", FILE, 4, false));
    }
}
