package io.quorumvip.alert;

import io.quorumvip.events.Cause;

/** A journal cause in a sentence an on-call engineer reads in a mail. */
final class CauseWords {

    private CauseWords() {
    }

    static String describe(Cause cause) {
        String subject = cause.subject();
        return switch (cause.kind()) {
            case NONE -> "a consequence of the change before it";
            case ADVERT -> "advert from " + subject + " with priority " + cause.value();
            case TIMER -> "timer " + subject + " fired";
            case HEALTH -> "tracker " + subject + " changed (weight " + cause.value() + ")";
            case LEASE_WATCH -> "ZooKeeper lease watch: " + subject;
            case OPERATOR -> "operator command: " + subject;
            case CONFIG -> "configuration loaded from " + subject;
            case STARTUP -> "agent start-up";
            case SHUTDOWN -> "agent shut-down (" + subject + ")";
            case LINK -> "link change on " + subject;
            case PACKET -> "dropped packets: " + subject;
        };
    }
}
