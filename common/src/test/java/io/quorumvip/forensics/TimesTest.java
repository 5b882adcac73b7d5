package io.quorumvip.forensics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-put-together times read exactly as the JDK's formatter writes them, whatever the cache holds. */
class TimesTest {

    @Test
    void shouldWriteAnInstantAsInstantDoesToTheMillisecond() {
        long[] micros = {0, 999, 1000, -1, -1000, -1001, 59_999_999, 60_000_000, 1_795_000_000_123_456L,
                1_795_000_020_000_000L, 253_402_300_799_999_999L, 253_402_300_800_000_000L, -62_167_219_200_000_001L,
                Long.MAX_VALUE, Long.MIN_VALUE};
        for (long m : micros) {
            assertThat(Times.instant(m)).as("%d µs", m).isEqualTo(jdk(m));
        }
    }

    @Test
    void shouldWriteTheSameTimesWhenMinutesShareACacheSlot() {
        SplittableRandom random = new SplittableRandom(15);
        long base = 1_795_000_000_000_000L;
        for (int i = 0; i < 100_000; i++) {
            // Minutes 256 apart share a slot; spread over a day so that slots are replaced back and forth.
            long m = base + random.nextLong(86_400_000_000L) - (i % 3 == 0 ? 256 * 60_000_000L : 0);
            assertThat(Times.instant(m)).as("%d µs", m).isEqualTo(jdk(m));
        }
    }

    private static String jdk(long micros) {
        return Instant.ofEpochMilli(Math.floorDiv(micros, 1000)).toString();
    }
}
