package io.quorumvip.alert;

import io.quorumvip.events.Cause;
import io.quorumvip.events.Event;
import io.quorumvip.ownership.RoleInput;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Turns what the agent journals into keepalived's e-mail alerts: one mail each time an alerting instance enters
 * MASTER, BACKUP or FAULT, or stops, with keepalived's subject ({@code [router_id] VRRP Instance NAME - Entering
 * MASTER state}) and a body that says what changed and why, from the journal record's cause. Like keepalived's
 * {@code last_email_state}, a state already mailed is not mailed again. Pure: not thread-safe, one caller.
 */
public final class StateChangeAlerts {

    private final MailAlertSettings settings;
    private final String node;
    private final Map<String, RoleInput> lastMailed = new HashMap<>();

    public StateChangeAlerts(MailAlertSettings settings, String node) {
        this.settings = settings;
        this.node = node;
    }

    /** The mail this journal record calls for, if any. */
    public Optional<AlertMail> onRecord(long wallMicros, Cause cause, Event event) {
        if (!(event instanceof Event.VrrpStateChanged changed)
                || !settings.alertingInstances().contains(changed.instance())
                || lastMailed.get(changed.instance()) == changed.to()) {
            return Optional.empty();
        }
        if (changed.to() == RoleInput.INITIALIZE && changed.from() == RoleInput.INITIALIZE) {
            return Optional.empty();
        }
        Wording what = switch (changed.to()) {
            case MASTER -> new Wording("Entering MASTER state", settings.leaseDecides()
                    ? "=> VRRP Instance is now MASTER; it owns its VIPs while it also holds the quorum lease <="
                    : "=> VRRP Instance is now owning VRRP VIPs <=");
            case BACKUP -> new Wording("Entering BACKUP state", "=> VRRP Instance is no longer owning VRRP VIPs <=");
            case FAULT -> new Wording("Entering FAULT state", "=> VRRP Instance is no longer owning VRRP VIPs <=");
            case INITIALIZE -> new Wording("Stopping", "=> VRRP Instance stopping <=");
        };
        lastMailed.put(changed.instance(), changed.to());
        String subject = "[" + settings.routerId() + "] VRRP Instance " + changed.instance() + " - " + what.subject();
        String body = what.headline() + "\n\n"
                + "Instance: " + changed.instance() + " (virtual_router_id " + changed.vrid() + ")\n"
                + "Node:     " + node + "\n"
                + "Change:   " + changed.from() + " -> " + changed.to() + "\n"
                + "Why:      " + CauseWords.describe(cause) + " (journal cause: " + cause + ")\n"
                + "At:       " + Instant.EPOCH.plus(wallMicros, ChronoUnit.MICROS) + "\n";
        return Optional.of(new AlertMail(settings.from(), settings.recipients(), subject, body));
    }

    /** keepalived's words for a state: the end of the subject and the first line of the body. */
    private record Wording(String subject, String headline) {
    }
}
