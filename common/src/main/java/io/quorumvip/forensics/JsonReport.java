package io.quorumvip.forensics;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.function.Function;

/**
 * The report as JSON: times as ISO-8601 and as µs since 1970, durations in µs. Written as a stream, so a report of
 * years of history is never held twice (as a tree, then as a string) on its way out.
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
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(out).useDefaultPrettyPrinter()) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            write(report, json, wire);
        } catch (IOException e) {
            throw new UncheckedIOException("forensics report: cannot write JSON: " + e.getMessage(), e);
        }
    }

    private static void write(ForensicsReport report, JsonGenerator json, Function<Incident, List<String>> wire)
            throws IOException {
        json.writeStartObject();
        json.writeBooleanField("split_brain", report.splitBrain());
        json.writeNumberField("clock_uncertainty_micros", report.settings().clockUncertaintyMicros());
        json.writeNumberField("lease_grace_micros", report.settings().leaseGraceMicros());
        json.writeStringField("first", Times.instant(report.firstMicros()));
        json.writeStringField("last", Times.instant(report.lastMicros()));
        strings(json, "nodes", report.nodes());
        strings(json, "notes", report.notes());
        json.writeArrayFieldStart("incidents");
        for (Incident incident : report.incidents()) {
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
                strings(json, "wire", wire.apply(incident));
            }
            strings(json, "notes", incident.notes());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("vips");
        for (VipSummary vip : report.vips()) {
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
        json.writeArrayFieldStart("intervals");
        for (Interval interval : report.intervals()) {
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
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void strings(JsonGenerator json, String field, List<String> values) throws IOException {
        json.writeArrayFieldStart(field);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }
}
