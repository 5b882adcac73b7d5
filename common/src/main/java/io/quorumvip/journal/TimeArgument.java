package io.quorumvip.journal;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** A TIME on the command line of replay and forensics: an ISO-8601 instant or epoch milliseconds. */
public final class TimeArgument {

    private TimeArgument() {
    }

    /** @throws IllegalArgumentException naming the option and the value when it is neither form */
    public static long parseMillis(String option, String time) {
        if (time.matches("\\d{1,15}")) {
            return Long.parseLong(time);
        }
        try {
            return Instant.parse(time).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " got '" + time
                    + "' (expected an ISO-8601 instant like 2026-11-21T03:12:07.250Z, or epoch milliseconds)");
        }
    }
}
