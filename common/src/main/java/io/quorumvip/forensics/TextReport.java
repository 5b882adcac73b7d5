package io.quorumvip.forensics;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The report for people: incidents sorted by start, then who owned each address. */
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
        try {
            writeTo(report, writer, wire);
        } catch (IOException e) {
            throw new UncheckedIOException("forensics report: cannot write: " + e.getMessage(), e);
        }
    }

    private static void writeTo(ForensicsReport report, Writer writer, Function<Incident, List<String>> wire)
            throws IOException {
        StringBuilder out = new StringBuilder();
        ForensicsSettings settings = report.settings();
        out.append("quorum-vip forensics: ").append(report.nodes().size()).append(" node(s) ")
                .append(String.join(", ", report.nodes())).append(", ").append(Times.instant(report.firstMicros()))
                .append(" .. ").append(Times.instant(report.lastMicros())).append(", clock uncertainty ±")
                .append(Times.duration(settings.clockUncertaintyMicros())).append('\n');
        report.notes().forEach(note -> out.append("note: ").append(note).append('\n'));
        out.append('\n').append("INCIDENTS (").append(report.incidents().size()).append(")\n");
        if (report.incidents().isEmpty()) {
            out.append("  none\n");
        }
        for (Incident incident : report.incidents()) {
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
            writer.append(out);
            out.setLength(0);
        }
        out.append("OWNERSHIP\n");
        if (report.vips().isEmpty()) {
            out.append("  no address was ever bound\n");
        }
        for (VipSummary vip : report.vips()) {
            out.append("  ").append(vip.address()).append(" (").append(vip.instance()).append("): ")
                    .append(vip.owners().stream().map(o -> o.node() + " " + Times.duration(o.ownedMicros()) + " ("
                            + o.binds() + " bind" + (o.binds() == 1 ? "" : "s") + ")").collect(Collectors.joining(", ")))
                    .append("; no owner ").append(vip.noOwnerIncidents()).append("x, dual ownership ")
                    .append(vip.dualOwnershipIncidents()).append("x\n");
        }
        out.append('\n').append(report.splitBrain()
                ? "FINDING: dual ownership (split brain) found\n" : "no dual ownership\n");
        writer.append(out);
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
