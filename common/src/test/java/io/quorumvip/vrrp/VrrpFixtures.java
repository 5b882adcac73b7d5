package io.quorumvip.vrrp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/** Addresses (192.0.2.0/24 only) and configs for VRRP tests. */
final class VrrpFixtures {

    static final int VRID = 51;

    private VrrpFixtures() {
    }

    /** 192.0.2.{lastOctet}, built without a name lookup. */
    static InetAddress node(int lastOctet) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) lastOctet});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4-byte address is always valid", e);
        }
    }

    /** keepalived defaults (v2, advert_int 1 s, preempt) for 192.0.2.{lastOctet}. */
    static VrrpConfig config(int priority, int lastOctet) {
        return VrrpConfig.keepalivedDefaults(VRID, priority, node(lastOctet));
    }

    static VrrpConfig v3(int priority, int lastOctet, int advertIntervalCentis) {
        return new VrrpConfig(VRID, priority, 3, advertIntervalCentis, true, Duration.ZERO,
                InitialState.keepalivedDefaultFor(priority), node(lastOctet));
    }

    static VrrpConfig withHint(VrrpConfig c, InitialState hint) {
        return new VrrpConfig(c.vrid(), c.priority(), c.version(), c.advertIntervalCentis(), c.preempt(),
                c.preemptDelay(), hint, c.primaryAddress());
    }

    static VrrpConfig withNopreempt(VrrpConfig c) {
        return new VrrpConfig(c.vrid(), c.priority(), c.version(), c.advertIntervalCentis(), false,
                c.preemptDelay(), c.initialState(), c.primaryAddress());
    }

    static VrrpConfig withPreemptDelay(VrrpConfig c, Duration delay) {
        return new VrrpConfig(c.vrid(), c.priority(), c.version(), c.advertIntervalCentis(), c.preempt(),
                delay, c.initialState(), c.primaryAddress());
    }

    static VrrpInput.AdvertReceived advert(int fromOctet, int priority) {
        return new VrrpInput.AdvertReceived(node(fromOctet), priority, 100);
    }

    static VrrpInput.AdvertReceived advert(int fromOctet, int priority, int intervalCentis) {
        return new VrrpInput.AdvertReceived(node(fromOctet), priority, intervalCentis);
    }

    static long millis(long ms) {
        return Duration.ofMillis(ms).toNanos();
    }
}
