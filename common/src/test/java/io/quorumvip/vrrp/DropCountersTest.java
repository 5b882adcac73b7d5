package io.quorumvip.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DropCountersTest {

    @Test
    void shouldCountEachReasonSeparately() {
        DropCounters counters = new DropCounters();

        counters.increment(DropReason.BAD_CHECKSUM);
        counters.increment(DropReason.BAD_CHECKSUM);
        counters.increment(DropReason.ADDRESS_LIST_MISMATCH);

        assertThat(counters.count(DropReason.BAD_CHECKSUM)).isEqualTo(2);
        assertThat(counters.count(DropReason.ADDRESS_LIST_MISMATCH)).isEqualTo(1);
        assertThat(counters.count(DropReason.TRUNCATED)).isZero();
    }
}
