package io.quorumvip.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The adverts of one wake-up go out after every instance due in it has stepped; others go at once. */
class InstanceCalendarTest {

    private static final long MILLI = 1_000_000L;

    private final Vertx vertx = Vertx.vertx();
    private final Context context = vertx.getOrCreateContext();
    private final InstanceCalendar<Instance> calendar = new InstanceCalendar<>(vertx, System::nanoTime);
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> lastSent = new CompletableFuture<>();

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Steps on its timer and asks for an advert, as a master's runner does. */
    private final class Instance implements InstanceCalendar.Timed {
        private final String name;
        private final boolean last;

        Instance(String name, boolean last) {
            this.name = name;
            this.last = last;
        }

        @Override
        public void timerFired() {
            log.add("stepped " + name);
            calendar.advert(() -> {
                log.add("sent " + name);
                if (last) {
                    lastSent.complete(null);
                }
            });
        }
    }

    @Test
    void shouldSendTheAdvertsOfOneWakeUpAfterEveryInstanceDueInItStepped() throws Exception {
        context.runOnContext(v -> {
            long now = System.nanoTime();
            // Both windows are open at the first one's deadline, so one wake-up fires both.
            calendar.schedule(new Instance("a", false), now, now + 20 * MILLI);
            calendar.schedule(new Instance("b", true), now, now + 40 * MILLI);
        });

        lastSent.get(10, TimeUnit.SECONDS);

        assertThat(log).containsExactly("stepped a", "stepped b", "sent a", "sent b");
    }

    @Test
    void shouldSendAnAdvertAtOnceOutsideAWakeUp() throws Exception {
        CompletableFuture<List<String>> seen = new CompletableFuture<>();
        context.runOnContext(v -> {
            calendar.advert(() -> log.add("sent"));
            log.add("after");
            seen.complete(List.copyOf(log));
        });

        assertThat(seen.get(10, TimeUnit.SECONDS)).containsExactly("sent", "after");
    }
}
