package io.quorumvip.forensics;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The report as JSON: times as ISO-8601 and as µs since 1970, durations in µs. Written as a stream: the incidents
 * first, as they come, then the intervals, then what is known only at the end (split brain, span, nodes, notes, who
 * owned each address).
 */
public final class JsonReport {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    public static String render(ForensicsReport report) {
        StringWriter out = new StringWriter();
        write(report, out);
        return out.toString();
    }

    /** Writes the report to {@code out} (indented), without holding it whole in memory. */
    public static void write(ForensicsReport report, Writer out) {
        write(report, out, null);
    }

    /**
     * The report with a {@code wire} array of {@code wire}'s lines in each incident (see
     * {@link TextReport#write(ForensicsReport, Writer, Function)}); {@code wire} null leaves the field out.
     */
    public static void write(ForensicsReport report, Writer out, Function<Incident, List<String>> wire) {
        try (Stream stream = new Stream(out, report.settings(), null)) {
            for (Incident incident : report.incidents()) {
                stream.incident(incident, wire == null ? null : wire.apply(incident));
            }
            stream.finish(new Forensics.Summary(report.settings(), report.nodes(), report.firstMicros(),
                    report.lastMicros(), report.vips(), report.notes(), report.splitBrain()), report.intervals());
        }
    }

    /**
     * Writes a report as it comes. Incidents go out at once; intervals, which come interleaved with them, go to a
     * spool file (when one is given) and are copied after the incidents, so the JSON keeps one array of each.
     */
    public static final class Stream implements AutoCloseable {

        private final JsonGenerator json;
        private final Path spool;
        private final JsonGenerator spooled;

        /** {@code spool}: a file for the intervals given one at a time (deleted at close), or null when none are. */
        public Stream(Writer out, ForensicsSettings settings, Path spool) {
            try {
                json = MAPPER.getFactory().createGenerator(out).useDefaultPrettyPrinter();
                json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                this.spool = spool;
                spooled = spool == null ? null : MAPPER.getFactory().createGenerator(Files.newBufferedWriter(spool));
                if (spooled != null) {
                    spooled.writeStartArray();
                }
                json.writeStartObject();
                json.writeNumberField("clock_uncertainty_micros", settings.clockUncertaintyMicros());
                json.writeNumberField("lease_grace_micros", settings.leaseGraceMicros());
                json.writeArrayFieldStart("incidents");
            } catch (IOException e) {
                throw failed(e);
            }
        }

        /** One incident; {@code wire} null leaves its {@code wire} field out. */
        public void incident(Incident incident, List<String> wire) {
            try {
                json.writeStartObject();
                json.writeStringField("kind", incident.kind().name());
                json.writeStringField("severity", incident.kind().severity().name());
                json.writeStringField("start", Times.instant(incident.startMicros()));
                json.writeStringField("end", Times.instant(incident.endMicros()));
                json.writeNumberField("start_micros", incident.startMicros());
                json.writeNumberField("end_micros", incident.endMicros());
                json.writeNumberField("min_duration_micros", incident.minDurationMicros());
                json.writeNumberField("max_duration_micros", incident.maxDurationMicros());
                strings(json, "nodes", incident.nodes());
                json.writeStringField("instance", incident.instance());
                json.writeNumberField("vrid", incident.vrid());
                json.writeStringField("address", incident.address());
                json.writeStringField("summary", incident.summary());
                json.writeArrayFieldStart("causes");
                for (CauseStep step : incident.causes()) {
                    json.writeStartObject();
                    json.writeStringField("node", step.node());
                    json.writeNumberField("seq", step.seq());
                    json.writeStringField("time", Times.instant(step.timeMicros()));
                    json.writeNumberField("hlc", step.hlc());
                    json.writeStringField("text", step.text());
                    json.writeEndObject();
                }
                json.writeEndArray();
                if (wire != null) {
                    strings(json, "wire", wire);
                }
                strings(json, "notes", incident.notes());
                json.writeEndObject();
            } catch (IOException e) {
                throw failed(e);
            }
        }

        /** One interval, to the spool. */
        public void interval(Interval interval) {
            if (spooled == null) {
                throw new IllegalStateException("JSON report: an interval given one at a time needs a spool file");
            }
            try {
                interval(spooled, interval);
            } catch (IOException e) {
                throw failed(e);
            }
        }

        /** Ends the report: the spooled intervals, then {@code intervals}, then the summary. */
        public void finish(Forensics.Summary summary, List<Interval> intervals) {
            try {
                json.writeEndArray();
                json.writeArrayFieldStart("intervals");
                if (spooled != null) {
                    spooled.writeEndArray();
                    spooled.close();
                    try (JsonParser parser = MAPPER.getFactory().createParser(spool.toFile())) {
                        parser.nextToken();
                        while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                            json.copyCurrentStructure(parser);
                        }
                    }
                }
                for (Interval interval : intervals) {
                    interval(json, interval);
                }
                json.writeEndArray();
                json.writeBooleanField("split_brain", summary.splitBrain());
                json.writeStringField("first", Times.instant(summary.firstMicros()));
                json.writeStringField("last", Times.instant(summary.lastMicros()));
                strings(json, "nodes", summary.nodes());
                strings(json, "notes", summary.notes());
                json.writeArrayFieldStart("vips");
                for (VipSummary vip : summary.vips()) {
                    json.writeStartObject();
                    json.writeStringField("address", vip.address());
                    json.writeStringField("instance", vip.instance());
                    json.writeNumberField("no_owner_incidents", vip.noOwnerIncidents());
                    json.writeNumberField("dual_ownership_incidents", vip.dualOwnershipIncidents());
                    json.writeArrayFieldStart("owners");
                    for (VipSummary.Owner owner : vip.owners()) {
                        json.writeStartObject();
                        json.writeStringField("node", owner.node());
                        json.writeNumberField("owned_micros", owner.ownedMicros());
                        json.writeNumberField("binds", owner.binds());
                        json.writeEndObject();
                    }
                    json.writeEndArray();
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
                json.flush();
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public void close() {
            try {
                json.close();
                if (spooled != null) {
                    spooled.close();
                    Files.deleteIfExists(spool);
                }
            } catch (IOException e) {
                throw failed(e);
            }
        }

        private static void interval(JsonGenerator json, Interval interval) throws IOException {
            json.writeStartObject();
            json.writeStringField("kind", interval.kind().name());
            json.writeStringField("node", interval.node());
            json.writeStringField("instance", interval.instance());
            json.writeNumberField("vrid", interval.vrid());
            json.writeStringField("subject", interval.subject());
            json.writeNumberField("start_micros", interval.startMicros());
            json.writeNumberField("end_min_micros", interval.endMinMicros());
            json.writeNumberField("end_max_micros", interval.endMaxMicros());
            json.writeStringField("end_reason", interval.endReason().name());
            json.writeEndObject();
        }

        private static UncheckedIOException failed(IOException e) {
            return new UncheckedIOException("forensics report: cannot write JSON: " + e.getMessage(), e);
        }
    }

    private static void strings(JsonGenerator json, String field, List<String> values) throws IOException {
        json.writeArrayFieldStart(field);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }
}
