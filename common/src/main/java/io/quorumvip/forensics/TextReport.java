package io.quorumvip.forensics;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The report for people: the incidents, then what is known only once every record was read (the nodes and span, notes,
 * who owned each address, the finding), so that a streamed analysis can print each incident as it is settled.
 */
public final class TextReport {

    private TextReport() {
    }

    public static String render(ForensicsReport report) {
        StringWriter out = new StringWriter();
        write(report, out);
        return out.toString();
    }

    /** Writes the report to {@code writer} one incident at a time, never holding it whole as one string. */
    public static void write(ForensicsReport report, Writer writer) {
        write(report, writer, incident -> List.of());
    }

    /**
     * The report with {@code wire}'s lines for each incident after its chain of causes: what the captures show in
     * its window (see {@code io.quorumvip.forensics.wire}).
     */
    public static void write(ForensicsReport report, Writer writer, Function<Incident, List<String>> wire) {
        Stream stream = new Stream(writer, report.settings(), "sorted by start", wire);
        report.incidents().forEach(stream::incident);
        stream.finish(new Forensics.Summary(report.settings(), report.nodes(), report.firstMicros(),
                report.lastMicros(), report.vips(), report.notes(), report.splitBrain()));
    }

    /** Writes a report as it comes: each incident when given, the rest at {@link #finish}. */
    public static final class Stream {

        private final Writer writer;
        private final Function<Incident, List<String>> wire;
        private final StringBuilder out = new StringBuilder();
        private long incidents;

        /** {@code order} says in which order the incidents come (the streamed analysis: as they were settled). */
        public Stream(Writer writer, ForensicsSettings settings, String order, Function<Incident, List<String>> wire) {
            this.writer = writer;
            this.wire = wire;
            out.append("quorum-vip forensics: clock uncertainty ±").append(Times.duration(settings.clockUncertaintyMicros()))
                    .append("\n\nINCIDENTS (").append(order).append(")\n");
            flush();
        }

        public void incident(Incident incident) {
            incidents++;
            out.append('[').append(incident.kind().severity()).append("] ").append(incident.kind()).append(' ')
                    .append(subject(incident)).append("  ").append(String.join(", ", incident.nodes())).append('\n');
            out.append("  ").append(Times.instant(incident.startMicros())).append(" .. ")
                    .append(Times.instant(incident.endMicros())).append(" as journaled; lasted ")
                    .append(Times.duration(incident.minDurationMicros())).append(" .. ")
                    .append(Times.duration(incident.maxDurationMicros())).append('\n');
            out.append("  ").append(incident.summary()).append('\n');
            List<CauseStep> causes = incident.causes();
            for (int i = 0; i < causes.size(); i++) {
                out.append(i == 0 ? "  causes: " : "        → ").append(causes.get(i).text()).append('\n');
            }
            List<String> onTheWire = wire.apply(incident);
            for (int i = 0; i < onTheWire.size(); i++) {
                out.append(i == 0 ? "  wire:   " : "          ").append(onTheWire.get(i)).append('\n');
            }
            incident.notes().forEach(note -> out.append("  note: ").append(note).append('\n'));
            out.append('\n');
            flush();
        }

        public void finish(Forensics.Summary summary) {
            out.append(incidents == 0 ? "  none\n\n" : "").append(incidents).append(" incident(s) in ")
                    .append(summary.nodes().size()).append(" node(s) ").append(String.join(", ", summary.nodes()))
                    .append(", ").append(Times.instant(summary.firstMicros())).append(" .. ")
                    .append(Times.instant(summary.lastMicros())).append('\n');
            summary.notes().forEach(note -> out.append("note: ").append(note).append('\n'));
            out.append("\nOWNERSHIP\n");
            if (summary.vips().isEmpty()) {
                out.append("  no address was ever bound\n");
            }
            for (VipSummary vip : summary.vips()) {
                out.append("  ").append(vip.address()).append(" (").append(vip.instance()).append("): ")
                        .append(vip.owners().stream().map(o -> o.node() + " " + Times.duration(o.ownedMicros()) + " ("
                                + o.binds() + " bind" + (o.binds() == 1 ? "" : "s") + ")").collect(Collectors.joining(", ")))
                        .append("; no owner ").append(vip.noOwnerIncidents()).append("x, dual ownership ")
                        .append(vip.dualOwnershipIncidents()).append("x\n");
            }
            out.append('\n').append(summary.splitBrain()
                    ? "FINDING: dual ownership (split brain) found\n" : "no dual ownership\n");
            flush();
        }

        private void flush() {
            try {
                writer.append(out);
            } catch (IOException e) {
                throw new UncheckedIOException("forensics report: cannot write: " + e.getMessage(), e);
            }
            out.setLength(0);
        }
    }

    static String subject(Incident incident) {
        StringBuilder subject = new StringBuilder();
        if (!incident.address().isEmpty()) {
            subject.append(incident.address()).append(' ');
        }
        subject.append('(').append(incident.instance());
        if (incident.vrid() != 0) {
            subject.append(", VRID ").append(incident.vrid());
        }
        return subject.append(')').toString();
    }
}
