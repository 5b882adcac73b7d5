package io.quorumvip.agent.lb;

import io.quorumvip.agent.LabAgent;
import io.quorumvip.events.Event;
import io.quorumvip.events.EventRecord;
import io.quorumvip.lab.LabHost;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

/** The checker lab tests' view of a director's journal: its events, and the last verdict on a virtual server. */
final class LabVerdicts {

    private LabVerdicts() {
    }

    /** The journal's events so far; none while the agent is still creating it (a segment not yet written whole). */
    static List<Event> events(LabHost director) {
        if (!Files.isDirectory(LabAgent.journalDir(director))) {
            return List.of();
        }
        try {
            return LabAgent.journalRecords(LabAgent.journalDir(director)).stream().map(EventRecord::event).toList();
        } catch (RuntimeException beingWritten) {
            return List.of();
        }
    }

    /** The evidence of the last RealServerUp ({@code up}) or RealServerDown of the virtual server {@code vs}. */
    static Optional<Event.CheckEvidence> last(List<Event> events, String vs, boolean up) {
        Event.CheckEvidence found = null;
        for (Event e : events) {
            if (up && e instanceof Event.RealServerUp u && u.virtualServer().equals(vs)) {
                found = u.evidence();
            } else if (!up && e instanceof Event.RealServerDown d && d.virtualServer().equals(vs)) {
                found = d.evidence();
            }
        }
        return Optional.ofNullable(found);
    }
}
