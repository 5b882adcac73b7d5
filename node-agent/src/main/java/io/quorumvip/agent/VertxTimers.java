package io.quorumvip.agent;

import io.vertx.core.Vertx;

/** The calendar's timers as Vert.x timers: set on the calling context, so they fire on the agent's event loop. */
record VertxTimers(Vertx vertx) implements InstanceCalendar.Timers {

    @Override
    public long set(long delayMillis, Runnable fired) {
        return vertx.setTimer(delayMillis, id -> fired.run());
    }

    @Override
    public void cancel(long id) {
        vertx.cancelTimer(id);
    }
}
