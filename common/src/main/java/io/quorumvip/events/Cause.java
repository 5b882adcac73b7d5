package io.quorumvip.events;

import java.util.Objects;

/**
 * The input that triggered an event, small enough to sit in every record: e.g. {@code ADVERT 192.0.2.12 150} or
 * {@code TIMER master_down}.
 */
public record Cause(CauseKind kind, String subject, long value) {

    public static final Cause NONE = new Cause(CauseKind.NONE, "", 0);

    public Cause {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
    }

    public static Cause advert(String fromAddress, int priority) {
        return new Cause(CauseKind.ADVERT, fromAddress, priority);
    }

    public static Cause timer(String name) {
        return new Cause(CauseKind.TIMER, name, 0);
    }

    public static Cause health(String tracker, int weight) {
        return new Cause(CauseKind.HEALTH, tracker, weight);
    }

    public static Cause leaseWatch(String state, long sessionId) {
        return new Cause(CauseKind.LEASE_WATCH, state, sessionId);
    }

    public static Cause operator(String command) {
        return new Cause(CauseKind.OPERATOR, command, 0);
    }

    @Override
    public String toString() {
        return kind + (subject.isEmpty() ? "" : " " + subject) + (value == 0 ? "" : " " + value);
    }
}
