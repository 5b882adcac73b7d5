package io.quorumvip.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimSchedulerTest {

    private static final long MS = 1_000_000L;

    private final SimScheduler scheduler = new SimScheduler(1, 1);
    private final List<String> ran = new ArrayList<>();

    @Test
    void shouldRunEventsInTimeOrderAndEqualTimesInTheOrderScheduled() {
        scheduler.at(20 * MS, SimScheduler.ENVIRONMENT, () -> ran.add("late"));
        scheduler.at(10 * MS, 0, () -> ran.add("first"));
        scheduler.at(10 * MS, SimScheduler.ENVIRONMENT, () -> ran.add("second"));

        scheduler.runUntil(30 * MS, () -> false);

        assertThat(ran).containsExactly("first", "second", "late");
    }

    @Test
    void shouldHoldAPausedNodesEventsAndRunThemAllAtOnceOnResume() {
        scheduler.at(10 * MS, 0, () -> ran.add("timer at " + scheduler.now() / MS));
        scheduler.at(20 * MS, 0, () -> ran.add("packet at " + scheduler.now() / MS));
        scheduler.at(15 * MS, SimScheduler.ENVIRONMENT, () -> ran.add("kernel at " + scheduler.now() / MS));
        scheduler.at(5 * MS, SimScheduler.ENVIRONMENT, () -> scheduler.pause(0));
        scheduler.at(50 * MS, SimScheduler.ENVIRONMENT, () -> scheduler.resume(0));

        scheduler.runUntil(100 * MS, () -> false);

        assertThat(ran).containsExactly("kernel at 15", "timer at 50", "packet at 50");
    }

    @Test
    void shouldDropEveryEventOfACrashedIncarnation() {
        scheduler.at(10 * MS, 0, () -> ran.add("old"));
        scheduler.at(5 * MS, SimScheduler.ENVIRONMENT, () -> {
            scheduler.crash(0);
            scheduler.at(20 * MS, 0, () -> ran.add("restarted"));
        });

        scheduler.runUntil(100 * MS, () -> false);

        assertThat(ran).containsExactly("restarted");
    }

    @Test
    void shouldNotRunACancelledEvent() {
        scheduler.at(10 * MS, 0, () -> ran.add("cancelled")).cancel();

        scheduler.runUntil(100 * MS, () -> false);

        assertThat(ran).isEmpty();
    }
}
