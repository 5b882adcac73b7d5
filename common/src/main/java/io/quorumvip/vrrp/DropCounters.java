package io.quorumvip.vrrp;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One counter per {@link DropReason}, indexed by ordinal. The receive loop increments; a metrics scrape on another
 * thread reads, hence atomic. Export as e.g. {@code qvip_vrrp_dropped_total{reason="BAD_CHECKSUM"}}.
 */
public final class DropCounters {

    private final AtomicLongArray counts = new AtomicLongArray(DropReason.values().length);

    public void increment(DropReason reason) {
        counts.incrementAndGet(reason.ordinal());
    }

    public long count(DropReason reason) {
        return counts.get(reason.ordinal());
    }
}
