package io.quorumvip.agent.lb;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.util.Locale;

/** A probe's exception in the few words an event's evidence carries: "connect refused", "timed out". */
final class ProbeErrors {

    private ProbeErrors() {
    }

    static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("refused")) {
            return "connect refused";
        }
        if (lower.contains("timed out") || lower.contains("timeout")) {
            return "timed out";
        }
        if (e instanceof NoRouteToHostException || lower.contains("no route")) {
            return "no route to host";
        }
        if (e instanceof ConnectException) {
            return "connect failed: " + message;
        }
        return message;
    }
}
