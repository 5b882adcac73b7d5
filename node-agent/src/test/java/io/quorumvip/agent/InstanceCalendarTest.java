package io.quorumvip.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.junit.jupiter.api.Test;

class InstanceCalendarTest {

    private static final long MS = 1_000_000;

    /** Timers that only record what is armed; the test fires them. */
    private static final class FakeTimers implements InstanceCalendar.Timers {
        final Map<Long, Runnable> armed = new HashMap<>();
        final Map<Long, Long> delays = new HashMap<>();
        long nextId;
        int sets;
        int cancels;

        @Override
        public long set(long delayMillis, Runnable fired) {
            sets++;
            armed.put(nextId, fired);
            delays.put(nextId, delayMillis);
            return nextId++;
        }

        @Override
        public void cancel(long id) {
            cancels++;
            armed.remove(id);
            delays.remove(id);
        }

        long onlyDelay() {
            assertThat(armed).hasSize(1);
            return delays.values().iterator().next();
        }

        void fireOnly() {
            assertThat(armed).hasSize(1);
            long id = armed.keySet().iterator().next();
            Runnable fired = armed.remove(id);
            delays.remove(id);
            fired.run();
        }
    }

    private final FakeTimers timers = new FakeTimers();
    private final Queue<Runnable> endOfTask = new ArrayDeque<>();
    private long now = 1_000 * MS;
    private final InstanceCalendar calendar = new InstanceCalendar(timers, endOfTask::add, () -> now);
    private final List<String> fired = new ArrayList<>();

    private InstanceCalendar.Due named(String name) {
        return () -> fired.add(name);
    }

    private void endTask() {
        while (!endOfTask.isEmpty()) {
            endOfTask.poll().run();
        }
    }

    @Test
    void anEarlierDeadlineReArmsAtOnce() {
        InstanceCalendar.Due a = named("a");
        calendar.schedule(a, now + 100 * MS, now + 100 * MS);
        calendar.schedule(named("b"), now + 40 * MS, now + 40 * MS);

        assertThat(timers.onlyDelay()).isEqualTo(40);
        assertThat(endOfTask).isEmpty();
    }

    @Test
    void deadlinesMovedLaterReArmOnceAtTheEndOfTheTask() {
        List<InstanceCalendar.Due> runners = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            InstanceCalendar.Due runner = named("r" + i);
            runners.add(runner);
            calendar.schedule(runner, now + (100 + i) * MS, now + (100 + i) * MS);
        }
        int setsBefore = timers.sets;
        for (InstanceCalendar.Due runner : runners) {
            calendar.schedule(runner, now + 900 * MS, now + 900 * MS);
        }
        assertThat(timers.sets).isEqualTo(setsBefore);
        assertThat(endOfTask).hasSize(1);

        endTask();

        assertThat(timers.sets).isEqualTo(setsBefore + 1);
        assertThat(timers.onlyDelay()).isEqualTo(900);
    }

    @Test
    void theLastTimerCancelledLeavesNoWakeUp() {
        InstanceCalendar.Due a = named("a");
        calendar.schedule(a, now + 100 * MS, now + 100 * MS);
        calendar.cancel(a);
        endTask();

        assertThat(timers.armed).isEmpty();
    }

    @Test
    void aDeadlineMovedLaterAndBackInOneTaskKeepsTheTimer() {
        InstanceCalendar.Due a = named("a");
        calendar.schedule(a, now + 100 * MS, now + 100 * MS);
        calendar.schedule(a, now + 500 * MS, now + 500 * MS);
        calendar.schedule(a, now + 100 * MS, now + 100 * MS);
        int cancels = timers.cancels;
        endTask();

        assertThat(timers.cancels).isEqualTo(cancels);
        assertThat(timers.onlyDelay()).isEqualTo(100);
    }

    @Test
    void aWakeUpFiresTheDueAndArmsOnceForTheNextDeadlineTheySet() {
        InstanceCalendar.Due[] runners = new InstanceCalendar.Due[5];
        for (int i = 0; i < runners.length; i++) {
            String name = "r" + i;
            long next = (1_000 - 10L * i) * MS;
            runners[i] = () -> {
                fired.add(name);
                calendar.schedule(runnerNamed(name), now + next, now + next);
            };
            calendar.schedule(runners[i], now + 50 * MS, now + 50 * MS);
        }
        int setsBefore = timers.sets;
        now += 50 * MS;
        timers.fireOnly();

        assertThat(fired).containsExactly("r0", "r1", "r2", "r3", "r4");
        assertThat(timers.sets).isEqualTo(setsBefore + 1);
        assertThat(timers.onlyDelay()).isEqualTo(960);
    }

    private final Map<String, InstanceCalendar.Due> byName = new HashMap<>();

    private InstanceCalendar.Due runnerNamed(String name) {
        return byName.computeIfAbsent(name, n -> () -> fired.add(n + " again"));
    }

    @Test
    void aDeadlineIsNeverLeftBehindALaterWakeUp() {
        InstanceCalendar.Due a = named("a");
        InstanceCalendar.Due b = named("b");
        calendar.schedule(a, now + 100 * MS, now + 100 * MS);
        calendar.schedule(a, now + 800 * MS, now + 800 * MS);
        endTask();
        calendar.schedule(b, now + 300 * MS, now + 300 * MS);

        assertThat(timers.onlyDelay()).isEqualTo(300);
        now += 300 * MS;
        timers.fireOnly();
        assertThat(fired).containsExactly("b");
        assertThat(timers.onlyDelay()).isEqualTo(500);
    }
}
