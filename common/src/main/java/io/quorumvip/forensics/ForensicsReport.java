package io.quorumvip.forensics;

import java.util.List;
import java.util.Objects;

/**
 * What forensics found in merged journals.
 *
 * @param settings     the clock bound, grace and window used
 * @param nodes        the nodes whose records were read, sorted
 * @param firstMicros  the earliest record's time (µs since 1970)
 * @param lastMicros   the latest record's time: "the end of the journals"
 * @param incidents    in the window, sorted by start then kind; each builds its chain of causes when read
 * @param vips         per address, who owned it in the window
 * @param intervals    the folded intervals (roles, leases, addresses) that overlap the window, for timelines
 * @param notes        what the reader should know about the input (clocks that stepped back, empty input)
 */
public record ForensicsReport(
        ForensicsSettings settings,
        List<String> nodes,
        long firstMicros,
        long lastMicros,
        List<Incident> incidents,
        List<VipSummary> vips,
        List<Interval> intervals,
        List<String> notes) {

    public ForensicsReport {
        Objects.requireNonNull(settings, "settings");
        nodes = List.copyOf(nodes);
        // Incidents build their chains when read (see IncidentList): copying would build them all at once.
        incidents = incidents instanceof IncidentList ? incidents : List.copyOf(incidents);
        vips = List.copyOf(vips);
        intervals = List.copyOf(intervals);
        notes = List.copyOf(notes);
    }

    /** True when two nodes had one address bound at once: the finding that makes {@code qvip forensics} exit 1. */
    public boolean splitBrain() {
        return incidents instanceof IncidentList lazy ? lazy.any(IncidentKind.DUAL_OWNERSHIP)
                : incidents.stream().anyMatch(i -> i.kind() == IncidentKind.DUAL_OWNERSHIP);
    }
}
