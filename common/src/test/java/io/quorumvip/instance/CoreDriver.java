package io.quorumvip.instance;

import io.quorumvip.track.TrackerStatus;
import io.quorumvip.vrrp.VrrpConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Steps one {@link InstanceCore} on a fake clock for the tests: it keeps the timer the core asked for, fires it
 * when time is moved past it, and remembers every effect with the time it came out.
 */
final class CoreDriver {

    static final long SECOND = 1_000_000_000L;
    static final long MILLI = 1_000_000L;
    static final long SESSION = 0x51L;
    static final long SESSION_TIMEOUT = 6 * SECOND;
    /** The lab ensemble's tickTime. */
    static final long ENSEMBLE_TICK = 200 * MILLI;

    record Timed(long atNanos, InstanceEffect effect) {
    }

    private final InstanceCore core;
    private final List<Timed> effects = new ArrayList<>();
    private OptionalLong timer = OptionalLong.empty();
    private long now = 1_000 * SECOND;

    CoreDriver(InstanceCore core) {
        this.core = core;
    }

    static CoreDriver leased(int priority, TrackerStatus... trackers) {
        return new CoreDriver(new InstanceCore(new InstanceSettings("VI_1",
                VrrpConfig.keepalivedDefaults(51, priority, address(11)), true, List.of("192.0.2.100/24"),
                List.of(trackers))));
    }

    static CoreDriver unleased(int priority) {
        return new CoreDriver(new InstanceCore(new InstanceSettings("VI_1",
                VrrpConfig.keepalivedDefaults(51, priority, address(11)), false, List.of("192.0.2.100/24"),
                List.of())));
    }

    InstanceCore core() {
        return core;
    }

    long now() {
        return now;
    }

    List<InstanceEffect> step(InstanceInput input) {
        List<InstanceEffect> out = core.step(input, now);
        for (InstanceEffect effect : out) {
            effects.add(new Timed(now, effect));
            if (effect instanceof InstanceEffect.SetTimer set) {
                timer = OptionalLong.of(set.deadlineNanos());
            } else if (effect instanceof InstanceEffect.CancelTimer) {
                timer = OptionalLong.empty();
            }
        }
        return out;
    }

    /** Moves the clock to {@code until}, firing the core's timer at its deadlines on the way. */
    void advanceTo(long until) {
        while (timer.isPresent() && timer.getAsLong() - until <= 0) {
            now = Math.max(now, timer.getAsLong());
            timer = OptionalLong.empty();
            step(new InstanceInput.TimerFired());
        }
        now = until;
    }

    void advanceBy(long nanos) {
        advanceTo(now + nanos);
    }

    /** Starts, connects the session and lets the master-down timer run out: the instance is MASTER. */
    long startAsMaster() {
        step(new InstanceInput.Start());
        step(new InstanceInput.ReleaseDone());
        step(new InstanceInput.SessionStarted(SESSION, SESSION_TIMEOUT, ENSEMBLE_TICK));
        advanceBy(5 * SECOND);
        return now;
    }

    List<Timed> effects() {
        return effects;
    }

    <T extends InstanceEffect> List<T> all(Class<T> type) {
        return effects.stream().map(Timed::effect).filter(type::isInstance).map(type::cast).toList();
    }

    <T extends InstanceEffect> List<Timed> timed(Class<T> type) {
        return effects.stream().filter(t -> type.isInstance(t.effect())).toList();
    }

    int indexOf(Class<? extends InstanceEffect> type) {
        for (int i = 0; i < effects.size(); i++) {
            if (type.isInstance(effects.get(i).effect())) {
                return i;
            }
        }
        return -1;
    }

    int lastIndexOf(Class<? extends InstanceEffect> type) {
        for (int i = effects.size() - 1; i >= 0; i--) {
            if (type.isInstance(effects.get(i).effect())) {
                return i;
            }
        }
        return -1;
    }

    void clear() {
        effects.clear();
    }

    static InetAddress address(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) last});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
