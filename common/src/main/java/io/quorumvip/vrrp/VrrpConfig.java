package io.quorumvip.vrrp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * What one VRRP instance needs to run its state machine; immutable and checked on construction.
 *
 * <p>Where keepalived silently clears a combination that cannot work (it logs a warning in
 * {@code vrrp_complete_instance}), this record refuses it instead, so the config layer decides and says so.
 *
 * @param vrid                 virtual router id, 1..255
 * @param priority             configured priority, 1..255; 255 means this node owns the addresses
 * @param version              VRRP version, 2 (RFC 3768) or 3 (RFC 5798)
 * @param advertIntervalCentis Advertisement_Interval in centiseconds: v3 1..4095; v2 whole seconds 1..255 s
 * @param preempt              false when keepalived's {@code nopreempt} is set
 * @param preemptDelay         keepalived's {@code preempt_delay}; zero when unset (see {@link VrrpStateMachine})
 * @param initialState         keepalived's {@code state} hint
 * @param primaryAddress       this node's primary address on the interface, used for the tie-break
 */
public record VrrpConfig(
        int vrid,
        int priority,
        int version,
        int advertIntervalCentis,
        boolean preempt,
        Duration preemptDelay,
        InitialState initialState,
        InetAddress primaryAddress) {

    public static final int ADDRESS_OWNER_PRIORITY = 255;

    private static final int CENTIS_PER_SECOND = 100;
    private static final int MAX_V3_INTERVAL_CENTIS = 4095;
    private static final int MAX_V2_INTERVAL_SECONDS = 255;

    public VrrpConfig {
        Objects.requireNonNull(preemptDelay, "preemptDelay (use Duration.ZERO when preempt_delay is unset)");
        Objects.requireNonNull(initialState, "initialState (use InitialState.keepalivedDefaultFor(priority))");
        Objects.requireNonNull(primaryAddress, "primaryAddress (the interface's primary address)");
        requireInRange("virtual_router_id", vrid, 1, 255);
        requireInRange("priority", priority, 1, ADDRESS_OWNER_PRIORITY);
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException("VRRP version: got " + version + " (expected 2 or 3)");
        }
        if (version == 3) {
            requireInRange("advert_int in centiseconds for VRRPv3", advertIntervalCentis, 1, MAX_V3_INTERVAL_CENTIS);
        } else {
            if (advertIntervalCentis % CENTIS_PER_SECOND != 0) {
                throw new IllegalArgumentException("advert_int for VRRPv2: got " + advertIntervalCentis
                        + " centiseconds (expected whole seconds: VRRPv2 carries the interval in seconds)");
            }
            requireInRange("advert_int in seconds for VRRPv2", advertIntervalCentis / CENTIS_PER_SECOND,
                    1, MAX_V2_INTERVAL_SECONDS);
            if (!(primaryAddress instanceof Inet4Address)) {
                throw new IllegalArgumentException("primary address for VRRPv2: got " + primaryAddress.getHostAddress()
                        + " (expected IPv4: RFC 3768 is IPv4 only; use version 3 for IPv6)");
            }
        }
        if (preemptDelay.isNegative()) {
            throw new IllegalArgumentException("preempt_delay: got " + preemptDelay + " (expected zero or more)");
        }
        if (!preempt && priority == ADDRESS_OWNER_PRIORITY) {
            throw new IllegalArgumentException("nopreempt with priority 255: an address owner always preempts"
                    + " (keepalived clears nopreempt here); remove nopreempt or lower the priority");
        }
        if (!preempt && initialState == InitialState.MASTER) {
            throw new IllegalArgumentException("nopreempt with state MASTER: keepalived clears nopreempt here;"
                    + " use state BACKUP with nopreempt");
        }
        if (!preemptDelay.isZero() && !preempt) {
            throw new IllegalArgumentException("preempt_delay " + preemptDelay + " with nopreempt: there is no"
                    + " preemption to delay (keepalived resets preempt_delay here); remove one of them");
        }
        if (!preemptDelay.isZero() && initialState == InitialState.MASTER) {
            throw new IllegalArgumentException("preempt_delay " + preemptDelay + " with state MASTER: keepalived"
                    + " clears preempt_delay here; use state BACKUP with preempt_delay");
        }
    }

    /** keepalived's defaults: VRRPv2, advert_int 1, preempt on, no preempt_delay, state derived from priority. */
    public static VrrpConfig keepalivedDefaults(int vrid, int priority, InetAddress primaryAddress) {
        return new VrrpConfig(vrid, priority, 2, CENTIS_PER_SECOND, true, Duration.ZERO,
                InitialState.keepalivedDefaultFor(priority), primaryAddress);
    }

    public boolean isAddressOwner() {
        return priority == ADDRESS_OWNER_PRIORITY;
    }

    private static void requireInRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + ": got " + value + " (expected " + min + ".." + max + ")");
        }
    }
}
