package io.quorumvip.agent.track;

import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Reads something every poll interval on a worker thread (file and /proc reads may block) and hands each result
 * to the event loop. A read never overlaps the previous one; a slow read just skips a tick.
 */
final class WorkerPoll<T> {

    private final Vertx vertx;
    private final long pollMillis;
    private final Callable<T> read;
    private final Consumer<T> onResult;
    private boolean reading;
    private long timer = -1;

    /** @param read must not throw for an expected failure: it returns what that failure counts as */
    WorkerPoll(Vertx vertx, long pollMillis, Callable<T> read, Consumer<T> onResult) {
        this.vertx = vertx;
        this.pollMillis = pollMillis;
        this.read = read;
        this.onResult = onResult;
    }

    void start() {
        timer = vertx.setPeriodic(pollMillis, id -> poll());
    }

    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    private void poll() {
        if (reading) {
            return;
        }
        reading = true;
        vertx.executeBlocking(read, false).onComplete(result -> {
            reading = false;
            if (result.succeeded()) {
                onResult.accept(result.result());
            }
        });
    }
}
