package io.quorumvip.forensics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A self-contained static HTML page: a lane per address (who had it bound), a lane per node and instance (VRRP
 * role, lease held), incident bands over them, and the incident list. Inline CSS only, no scripts, no external
 * resources, so it opens from a file anywhere.
 */
public final class HtmlTimeline {

    private static final String[] NODE_COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2",
            "#17becf", "#bcbd22"};
    private static final Map<String, String> ROLE_COLOURS = Map.of("MASTER", "#2ca02c", "BACKUP", "#9ecae1",
            "FAULT", "#d62728", "INITIALIZE", "#cccccc");

    private HtmlTimeline() {
    }

    public static String render(ForensicsReport report) {
        long first = report.firstMicros();
        long span = Math.max(1, report.lastMicros() - first);
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>quorum-vip forensics</title>\n")
                .append("<style>body{font-family:sans-serif;margin:1em}.lane{position:relative;height:22px;")
                .append("background:#f4f4f4;margin:2px 0 2px 16em}.label{position:absolute;left:-16em;width:15.5em;")
                .append("font-size:12px;overflow:hidden;white-space:nowrap}.seg{position:absolute;top:2px;height:18px;")
                .append("min-width:1px}.lease{top:15px;height:5px;background:#000}.band{position:absolute;top:0;")
                .append("bottom:0;min-width:2px;opacity:.25}.CRITICAL{background:#d62728}.WARNING{background:#ff7f0e}")
                .append(".INFO{background:#1f77b4}table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;")
                .append("padding:3px;vertical-align:top}h2{margin-top:1.2em}</style></head><body>\n");
        html.append("<h1>quorum-vip forensics</h1>\n<p>").append(esc(String.join(", ", report.nodes()))).append(": ")
                .append(Times.instant(report.firstMicros())).append(" .. ").append(Times.instant(report.lastMicros()))
                .append(", clock uncertainty ±").append(Times.duration(report.settings().clockUncertaintyMicros()))
                .append(report.splitBrain() ? " — <strong>dual ownership found</strong>" : " — no dual ownership")
                .append("</p>\n");
        for (String note : report.notes()) {
            html.append("<p>note: ").append(esc(note)).append("</p>\n");
        }
        Map<String, String> colours = new TreeMap<>();
        for (int i = 0; i < report.nodes().size(); i++) {
            colours.put(report.nodes().get(i), NODE_COLOURS[i % NODE_COLOURS.length]);
        }
        html.append("<h2>Addresses</h2>\n");
        Map<String, List<Interval>> vips = lanes(report.intervals(), IntervalKind.VIP, Interval::subject);
        vips.forEach((address, held) -> {
            html.append("<div class=\"lane\"><span class=\"label\">").append(esc(address)).append("</span>");
            bands(html, report, address, first, span);
            for (Interval vip : held) {
                segment(html, vip, first, span, colours.get(vip.node()), vip.node() + " " + vip.subject(), "seg");
            }
            html.append("</div>\n");
        });
        html.append("<p>").append(legend(colours)).append("</p>\n<h2>Nodes</h2>\n");
        Map<String, List<Interval>> nodes = lanes(report.intervals(), null, i -> i.node() + " " + i.instance());
        nodes.forEach((lane, items) -> {
            html.append("<div class=\"lane\"><span class=\"label\">").append(esc(lane)).append("</span>");
            for (Interval interval : items) {
                if (interval.kind() == IntervalKind.ROLE) {
                    segment(html, interval, first, span, ROLE_COLOURS.getOrDefault(interval.subject(), "#ccc"),
                            interval.subject(), "seg");
                } else if (interval.kind() == IntervalKind.LEASE) {
                    segment(html, interval, first, span, "#000", "lease epoch " + interval.subject(), "seg lease");
                }
            }
            html.append("</div>\n");
        });
        html.append("<p>roles: ");
        ROLE_COLOURS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> html.append("<span style=\"background:")
                .append(e.getValue()).append("\">&nbsp;&nbsp;&nbsp;</span> ").append(e.getKey()).append(' '));
        html.append("; black bar: lease held; hatched end: uncertain (crashed node, or a lifetime the kernel let run out)</p>\n");
        html.append("<h2>Incidents (").append(report.incidents().size()).append(")</h2>\n<table><tr><th>kind</th>")
                .append("<th>subject</th><th>nodes</th><th>start .. end</th><th>lasted</th><th>what</th><th>causes</th></tr>\n");
        for (Incident incident : report.incidents()) {
            html.append("<tr><td class=\"").append(incident.kind().severity()).append("\">").append(incident.kind())
                    .append("</td><td>").append(esc(TextReport.subject(incident))).append("</td><td>")
                    .append(esc(String.join(", ", incident.nodes()))).append("</td><td>")
                    .append(Times.instant(incident.startMicros())).append("<br>").append(Times.instant(incident.endMicros()))
                    .append("</td><td>").append(Times.duration(incident.minDurationMicros())).append(" .. ")
                    .append(Times.duration(incident.maxDurationMicros())).append("</td><td>").append(esc(incident.summary()));
            incident.notes().forEach(note -> html.append("<br><em>").append(esc(note)).append("</em>"));
            html.append("</td><td><ol>");
            incident.causes().forEach(step -> html.append("<li>").append(esc(step.text())).append("</li>"));
            html.append("</ol></td></tr>\n");
        }
        return html.append("</table>\n</body></html>\n").toString();
    }

    private static Map<String, List<Interval>> lanes(List<Interval> intervals, IntervalKind kind,
                                                     Function<Interval, String> key) {
        Map<String, List<Interval>> lanes = new TreeMap<>();
        for (Interval interval : intervals) {
            if (kind == null || interval.kind() == kind) {
                lanes.computeIfAbsent(key.apply(interval), k -> new ArrayList<>()).add(interval);
            }
        }
        return lanes;
    }

    private static void bands(StringBuilder html, ForensicsReport report, String address, long first, long span) {
        for (Incident incident : report.incidents()) {
            if (incident.address().equals(address)) {
                html.append("<div class=\"band ").append(incident.kind().severity()).append("\" style=\"left:")
                        .append(percent(incident.startMicros() - first, span)).append("%;width:")
                        .append(percent(incident.endMicros() - incident.startMicros(), span)).append("%\" title=\"")
                        .append(esc(incident.kind() + ": " + incident.summary())).append("\"></div>");
            }
        }
    }

    private static void segment(StringBuilder html, Interval interval, long first, long span, String colour,
                                String title, String css) {
        String fill = interval.endCertain() ? colour
                : "repeating-linear-gradient(45deg," + colour + " 0 4px,#fff 4px 8px)";
        html.append("<div class=\"").append(css).append("\" style=\"left:")
                .append(percent(interval.startMicros() - first, span)).append("%;width:")
                .append(percent(interval.endMaxMicros() - interval.startMicros(), span)).append("%;background:")
                .append(fill).append("\" title=\"").append(esc(title + " " + Times.instant(interval.startMicros())
                        + " .. " + Times.instant(interval.endMaxMicros()) + " (" + interval.endReason() + ")")).append("\"></div>");
    }

    private static String legend(Map<String, String> colours) {
        StringBuilder legend = new StringBuilder("owners: ");
        colours.forEach((node, colour) -> legend.append("<span style=\"background:").append(colour)
                .append("\">&nbsp;&nbsp;&nbsp;</span> ").append(esc(node)).append(' '));
        return legend.toString();
    }

    private static String percent(long part, long span) {
        return String.format(Locale.ROOT, "%.4f", 100.0 * Math.max(0, part) / span);
    }

    static String esc(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
