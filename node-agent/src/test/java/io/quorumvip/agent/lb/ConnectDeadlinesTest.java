package io.quorumvip.agent.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.SingleThreadEventLoop;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared connect_timeout queue on a real event loop: who expires, and when it is judged. */
class ConnectDeadlinesTest {

    private static final long TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private Vertx vertx;
    private SingleThreadEventLoop loop;
    private ConnectDeadlines deadlines;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        loop = CheckClients.loop((io.vertx.core.impl.ContextInternal) vertx.getOrCreateContext());
        deadlines = new ConnectDeadlines(loop, TIMEOUT_NANOS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Completes with the nanoseconds from its start to its expiry. */
    private static final class Recorded extends ConnectDeadlines.Wait {
        final CompletableFuture<Long> expired = new CompletableFuture<>();

        @Override
        void expire() {
            expired.complete(System.nanoTime() - startNanos());
        }
    }

    private void onLoop(Runnable action) throws Exception {
        loop.submit(action).get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldExpireEachUnsettledWaitNoSoonerThanItsTimeout() throws Exception {
        Recorded first = new Recorded();
        Recorded second = new Recorded();
        onLoop(() -> deadlines.add(first));
        Thread.sleep(50);
        onLoop(() -> deadlines.add(second));

        assertThat(first.expired.get(10, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(TIMEOUT_NANOS);
        assertThat(second.expired.get(10, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(TIMEOUT_NANOS);
    }

    @Test
    void shouldNeverExpireAWaitSettledByItsOutcome() throws Exception {
        Recorded settled = new Recorded();
        Recorded after = new Recorded();
        onLoop(() -> {
            deadlines.add(settled);
            settled.settle();
        });
        onLoop(() -> deadlines.add(after));

        after.expired.get(10, TimeUnit.SECONDS);
        onLoop(() -> { });
        assertThat(settled.expired).isNotDone();
        assertThat(settled.settle()).as("it stays settled by its outcome").isFalse();
    }

    /**
     * The loop held past the deadline, the timer and the outcome both due when it is free: the timer runs first
     * (scheduled first) and finds the deadline passed, the outcome comes before the loop's next read — and counts.
     */
    @Test
    void shouldSpareAWaitWhoseOutcomeCameAfterTheTimerSawItsDeadlinePass() throws Exception {
        Recorded late = new Recorded();
        Recorded control = new Recorded();
        CompletableFuture<Boolean> settledByOutcome = new CompletableFuture<>();
        onLoop(() -> {
            deadlines.add(late);
            deadlines.add(control);
            loop.schedule(() -> settledByOutcome.complete(late.settle()), 150, TimeUnit.MILLISECONDS);
            sleep(400);
        });

        assertThat(settledByOutcome.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(control.expired.get(10, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(TIMEOUT_NANOS);
        assertThat(late.expired).isNotDone();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
