package io.quorumvip.forensics;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
     * spool file (when one is given) and are written after the incidents, so the JSON keeps one array of each.
     */
    public static final class Stream implements AutoCloseable {

        // The names of the fields written per incident, cause and interval, encoded once: years of history write
        // hundreds of millions of them.
        private static final SerializableString KIND = new SerializedString("kind");
        private static final SerializableString SEVERITY = new SerializedString("severity");
        private static final SerializableString START = new SerializedString("start");
        private static final SerializableString END = new SerializedString("end");
        private static final SerializableString START_MICROS = new SerializedString("start_micros");
        private static final SerializableString END_MICROS = new SerializedString("end_micros");
        private static final SerializableString MIN_DURATION = new SerializedString("min_duration_micros");
        private static final SerializableString MAX_DURATION = new SerializedString("max_duration_micros");
        private static final SerializableString NODES = new SerializedString("nodes");
        private static final SerializableString INSTANCE = new SerializedString("instance");
        private static final SerializableString VRID = new SerializedString("vrid");
        private static final SerializableString ADDRESS = new SerializedString("address");
        private static final SerializableString SUMMARY = new SerializedString("summary");
        private static final SerializableString CAUSES = new SerializedString("causes");
        private static final SerializableString NODE = new SerializedString("node");
        private static final SerializableString SEQ = new SerializedString("seq");
        private static final SerializableString TIME = new SerializedString("time");
        private static final SerializableString HLC = new SerializedString("hlc");
        private static final SerializableString TEXT = new SerializedString("text");
        private static final SerializableString WIRE = new SerializedString("wire");
        private static final SerializableString NOTES = new SerializedString("notes");
        private static final SerializableString SUBJECT = new SerializedString("subject");
        private static final SerializableString END_MIN_MICROS = new SerializedString("end_min_micros");
        private static final SerializableString END_MAX_MICROS = new SerializedString("end_max_micros");
        private static final SerializableString END_REASON = new SerializedString("end_reason");

        private final JsonGenerator json;
        /** A string's characters for the generator, which reads an array much faster than a string's charAt. */
        private char[] chars = new char[256];
        private final Path spool;
        /** The spooled intervals' fields in binary: a million of them parse back far faster than as JSON. */
        private final DataOutputStream spooled;
        private long spooledCount;

        /** {@code spool}: a file for the intervals given one at a time (deleted at close), or null when none are. */
        public Stream(Writer out, ForensicsSettings settings, Path spool) {
            this(generator(() -> MAPPER.getFactory().createGenerator(out)), settings, spool);
        }

        /**
         * The same, written as UTF-8 straight to {@code out}: a report of gigabytes costs half the CPU it does
         * through a {@link Writer}, whose encoder takes its slow path at every arrow and "±".
         */
        public Stream(OutputStream out, ForensicsSettings settings, Path spool) {
            this(generator(() -> MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)), settings, spool);
        }

        private Stream(JsonGenerator generator, ForensicsSettings settings, Path spool) {
            try {
                json = generator.useDefaultPrettyPrinter();
                json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                this.spool = spool;
                spooled = spool == null ? null
                        : new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(spool), 1 << 16));
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
                field(KIND, incident.kind().name());
                field(SEVERITY, incident.kind().severity().name());
                field(START, Times.instant(incident.startMicros()));
                field(END, Times.instant(incident.endMicros()));
                field(START_MICROS, incident.startMicros());
                field(END_MICROS, incident.endMicros());
                field(MIN_DURATION, incident.minDurationMicros());
                field(MAX_DURATION, incident.maxDurationMicros());
                field(NODES, incident.nodes());
                field(INSTANCE, incident.instance());
                field(VRID, incident.vrid());
                field(ADDRESS, incident.address());
                field(SUMMARY, incident.summary());
                json.writeFieldName(CAUSES);
                json.writeStartArray();
                for (CauseStep step : incident.causes()) {
                    json.writeStartObject();
                    field(NODE, step.node());
                    field(SEQ, step.seq());
                    field(TIME, Times.instant(step.timeMicros()));
                    field(HLC, step.hlc());
                    field(TEXT, step.text());
                    json.writeEndObject();
                }
                json.writeEndArray();
                if (wire != null) {
                    field(WIRE, wire);
                }
                field(NOTES, incident.notes());
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
                spooled.writeByte(interval.kind().ordinal());
                spooled.writeUTF(interval.node());
                spooled.writeUTF(interval.instance());
                spooled.writeInt(interval.vrid());
                spooled.writeUTF(interval.subject());
                spooled.writeLong(interval.startMicros());
                spooled.writeLong(interval.endMinMicros());
                spooled.writeLong(interval.endMaxMicros());
                spooled.writeByte(interval.endReason().ordinal());
                spooledCount++;
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
                    spooled.close();
                    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(spool),
                            1 << 16))) {
                        for (long i = 0; i < spooledCount; i++) {
                            interval(IntervalKind.values()[in.readByte()], in.readUTF(), in.readUTF(),
                                    in.readInt(), in.readUTF(), in.readLong(), in.readLong(), in.readLong(),
                                    EndReason.values()[in.readByte()]);
                        }
                    }
                }
                for (Interval i : intervals) {
                    interval(i.kind(), i.node(), i.instance(), i.vrid(), i.subject(), i.startMicros(),
                            i.endMinMicros(), i.endMaxMicros(), i.endReason());
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

        private void interval(IntervalKind kind, String node, String instance, int vrid, String subject,
                              long startMicros, long endMinMicros, long endMaxMicros, EndReason endReason)
                throws IOException {
            json.writeStartObject();
            field(KIND, kind.name());
            field(NODE, node);
            field(INSTANCE, instance);
            field(VRID, vrid);
            field(SUBJECT, subject);
            field(START_MICROS, startMicros);
            field(END_MIN_MICROS, endMinMicros);
            field(END_MAX_MICROS, endMaxMicros);
            field(END_REASON, endReason.name());
            json.writeEndObject();
        }

        private void field(SerializableString name, String value) throws IOException {
            json.writeFieldName(name);
            int length = value.length();
            if (length > chars.length) {
                chars = new char[Math.max(length, 2 * chars.length)];
            }
            value.getChars(0, length, chars, 0);
            json.writeString(chars, 0, length);
        }

        private void field(SerializableString name, long value) throws IOException {
            json.writeFieldName(name);
            json.writeNumber(value);
        }

        private void field(SerializableString name, List<String> values) throws IOException {
            json.writeFieldName(name);
            json.writeStartArray();
            for (String value : values) {
                json.writeString(value);
            }
            json.writeEndArray();
        }

        /** What opens a generator, with its failure as this report's. */
        private interface Opening {
            JsonGenerator open() throws IOException;
        }

        private static JsonGenerator generator(Opening opening) {
            try {
                return opening.open();
            } catch (IOException e) {
                throw failed(e);
            }
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
