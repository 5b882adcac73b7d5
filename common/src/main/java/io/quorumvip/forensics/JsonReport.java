package io.quorumvip.forensics;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The report as JSON (format {@value #FORMAT}, compact: {@code jq .} indents it): times as ISO-8601 and as µs since
 * 1970, durations in µs. Each incident's chain of causes is a list of step ids ({@code node#seq}); each step is
 * written once, in the {@code steps} table, however many chains name it. Written as a stream: the incidents first,
 * as they come, then the steps and the intervals, then what is known only at the end (split brain, span, nodes,
 * notes, who owned each address). See docs/forensics.md, "The JSON report".
 */
public final class JsonReport {

    /**
     * The shape of the report: 2 has chains of causes by reference to the {@code steps} table. Format 1 (no
     * {@code format} field) wrote each chain's steps in full in every incident.
     */
    public static final int FORMAT = 2;

    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonReport() {
    }

    public static String render(ForensicsReport report) {
        StringWriter out = new StringWriter();
        write(report, out);
        return out.toString();
    }

    /** Writes the report to {@code out}, without holding it whole in memory. */
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
     * Writes a report as it comes. Incidents go out at once; the steps of their chains and the intervals, which come
     * interleaved with them, are written as JSON to spools (files when asked, else memory) and copied after the
     * incidents as they are, so the JSON keeps one array of each and nothing is encoded twice.
     */
    public static final class Stream implements AutoCloseable {

        // The names of the fields written per incident, step and interval, encoded once: years of history write
        // tens of millions of them.
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
        private static final SerializableString ID = new SerializedString("id");
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
        /** Where {@link #json} writes: one of the two, for copying the spools into it. */
        private final OutputStream bytesOut;
        private final Writer charsOut;
        private final Spool steps;
        private final Spool intervals;
        private final WrittenSteps written = new WrittenSteps();
        /** A string's characters for the generator, which reads an array much faster than a string's charAt. */
        private char[] chars = new char[256];

        /**
         * {@code spoolDirectory}: where the steps and intervals are spooled, as temporary files deleted at close;
         * null spools them in memory (small reports, tests).
         */
        public Stream(Writer out, ForensicsSettings settings, Path spoolDirectory) {
            this(null, out, settings, spoolDirectory);
        }

        /**
         * The same, written as UTF-8 straight to {@code out}: a report of gigabytes costs half the CPU it does
         * through a {@link Writer}, whose encoder takes its slow path at every arrow and "±".
         */
        public Stream(OutputStream out, ForensicsSettings settings, Path spoolDirectory) {
            this(out, null, settings, spoolDirectory);
        }

        private Stream(OutputStream bytesOut, Writer charsOut, ForensicsSettings settings, Path spoolDirectory) {
            this.bytesOut = bytesOut;
            this.charsOut = charsOut;
            Spool stepSpool = null;
            Spool intervalSpool = null;
            try {
                stepSpool = new Spool("steps", spoolDirectory);
                intervalSpool = new Spool("intervals", spoolDirectory);
                json = bytesOut != null ? FACTORY.createGenerator(bytesOut, JsonEncoding.UTF8)
                        : FACTORY.createGenerator(charsOut);
                json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                json.writeStartObject();
                json.writeNumberField("format", FORMAT);
                json.writeNumberField("clock_uncertainty_micros", settings.clockUncertaintyMicros());
                json.writeNumberField("lease_grace_micros", settings.leaseGraceMicros());
                json.writeArrayFieldStart("incidents");
            } catch (IOException | RuntimeException e) {
                for (Spool spool : new Spool[] {stepSpool, intervalSpool}) {
                    if (spool != null) {
                        spool.discard();
                    }
                }
                throw e instanceof IOException io ? failed(io) : (RuntimeException) e;
            }
            steps = stepSpool;
            intervals = intervalSpool;
        }

        /** One incident; {@code wire} null leaves its {@code wire} field out. */
        public void incident(Incident incident, List<String> wire) {
            try {
                json.writeStartObject();
                field(json, KIND, incident.kind().name());
                field(json, SEVERITY, incident.kind().severity().name());
                field(json, START, Times.instant(incident.startMicros()));
                field(json, END, Times.instant(incident.endMicros()));
                field(json, START_MICROS, incident.startMicros());
                field(json, END_MICROS, incident.endMicros());
                field(json, MIN_DURATION, incident.minDurationMicros());
                field(json, MAX_DURATION, incident.maxDurationMicros());
                field(json, NODES, incident.nodes());
                field(json, INSTANCE, incident.instance());
                field(json, VRID, incident.vrid());
                field(json, ADDRESS, incident.address());
                field(json, SUMMARY, incident.summary());
                json.writeFieldName(CAUSES);
                json.writeStartArray();
                for (CauseStep step : incident.causes()) {
                    id(json, step);
                    if (written.add(step.node(), step.seq())) {
                        step(step);
                    }
                }
                json.writeEndArray();
                if (wire != null) {
                    field(json, WIRE, wire);
                }
                field(json, NOTES, incident.notes());
                json.writeEndObject();
            } catch (IOException e) {
                throw failed(e);
            }
        }

        /** One interval, to its spool. */
        public void interval(Interval interval) {
            interval(IntervalRow.of(interval));
        }

        /** One interval as a store keeps it, to its spool. */
        public void interval(IntervalRow interval) {
            JsonGenerator out = intervals.json;
            try {
                out.writeStartObject();
                field(out, KIND, interval.kind().name());
                field(out, NODE, interval.node());
                field(out, INSTANCE, interval.instance());
                field(out, VRID, interval.vrid());
                field(out, SUBJECT, interval.subject());
                field(out, START_MICROS, interval.startMicros());
                field(out, END_MIN_MICROS, interval.endMinMicros());
                field(out, END_MAX_MICROS, interval.endMaxMicros());
                field(out, END_REASON, interval.endReason().name());
                out.writeEndObject();
            } catch (IOException e) {
                throw failed(e);
            }
        }

        /** Ends the report: the steps, the spooled intervals and then {@code intervals}, then the summary. */
        public void finish(Forensics.Summary summary, List<Interval> moreIntervals) {
            try {
                moreIntervals.forEach(this::interval);
                json.writeEndArray();
                json.writeArrayFieldStart("steps");
                copy(steps);
                json.writeEndArray();
                json.writeArrayFieldStart("intervals");
                copy(intervals);
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
            } catch (IOException e) {
                throw failed(e);
            } finally {
                steps.discard();
                intervals.discard();
            }
        }

        /** A step of a chain, to the table: the first time a chain names it. */
        private void step(CauseStep step) throws IOException {
            JsonGenerator out = steps.json;
            out.writeStartObject();
            out.writeFieldName(ID);
            id(out, step);
            field(out, NODE, step.node());
            field(out, SEQ, step.seq());
            field(out, TIME, Times.instant(step.timeMicros()));
            field(out, HLC, step.hlc());
            field(out, TEXT, step.text());
            out.writeEndObject();
        }

        /** A step's id, {@code node#seq}: the record's identity in its node's journal and in the coordinator. */
        private void id(JsonGenerator out, CauseStep step) throws IOException {
            String node = step.node();
            int length = node.length();
            int digits = digits(step.seq());
            room(length + 1 + digits);
            node.getChars(0, length, chars, 0);
            chars[length] = '#';
            long seq = step.seq();
            for (int i = length + digits; i > length; i--) {
                chars[i] = (char) ('0' + seq % 10);
                seq /= 10;
            }
            out.writeString(chars, 0, length + 1 + digits);
        }

        private static int digits(long value) {
            if (value < 0) {
                throw new IllegalArgumentException("journal record sequence got " + value + " (expected >= 0)");
            }
            int digits = 1;
            while (value >= 10) {
                value /= 10;
                digits++;
            }
            return digits;
        }

        /** Copies a spool's array elements into the report's open array, as they are. */
        private void copy(Spool spool) throws IOException {
            json.flush();
            spool.json.close();
            try (InputStream in = spool.read()) {
                if (bytesOut != null) {
                    in.transferTo(bytesOut);
                } else {
                    new InputStreamReader(in, StandardCharsets.UTF_8).transferTo(charsOut);
                }
            }
        }

        private void room(int length) {
            if (length > chars.length) {
                chars = new char[Math.max(length, 2 * chars.length)];
            }
        }

        private void field(JsonGenerator out, SerializableString name, String value) throws IOException {
            out.writeFieldName(name);
            if (out != json || bytesOut != null) {
                // A generator writing bytes (the report's or a spool's): the JDK's encoder gives the UTF-8 bytes
                // several times faster than the generator encodes a string char by char, and most strings need
                // no escaping, so their bytes go out as they are.
                byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
                if (needsNoEscape(utf8)) {
                    out.writeRawUTF8String(utf8, 0, utf8.length);
                    return;
                }
            }
            int length = value.length();
            room(length);
            value.getChars(0, length, chars, 0);
            out.writeString(chars, 0, length);
        }

        private static void field(JsonGenerator out, SerializableString name, long value) throws IOException {
            out.writeFieldName(name);
            out.writeNumber(value);
        }

        private static void field(JsonGenerator out, SerializableString name, List<String> values) throws IOException {
            out.writeFieldName(name);
            out.writeStartArray();
            for (String value : values) {
                out.writeString(value);
            }
            out.writeEndArray();
        }

        /** True when the generator would write these UTF-8 bytes unchanged: no quote, backslash or control. */
        private static boolean needsNoEscape(byte[] utf8) {
            for (byte b : utf8) {
                if (b >= 0 && (b < 0x20 || b == '"' || b == '\\' || b == 0x7f)) {
                    return false;
                }
            }
            return true;
        }

        private static UncheckedIOException failed(IOException e) {
            return new UncheckedIOException("forensics report: cannot write JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Array elements written as JSON as they come, comma-separated, to be copied into the report's array later: a
     * temporary file (gigabytes of report) or memory (a report rendered whole anyway).
     */
    private static final class Spool {
        private final Path file;
        private final ByteArrayOutputStream memory;
        final JsonGenerator json;

        Spool(String what, Path directory) throws IOException {
            file = directory != null ? Files.createTempFile(directory, "qvip-forensics-" + what, ".json") : null;
            memory = directory != null ? null : new ByteArrayOutputStream();
            OutputStream out = file != null ? new BufferedOutputStream(Files.newOutputStream(file), 1 << 16) : memory;
            json = FACTORY.createGenerator(out, JsonEncoding.UTF8);
            // Top-level values, so the generator puts the array's commas between them itself.
            json.setRootValueSeparator(new SerializedString(","));
        }

        InputStream read() throws IOException {
            return file != null ? Files.newInputStream(file) : new ByteArrayInputStream(memory.toByteArray());
        }

        void discard() {
            try {
                json.close();
                if (file != null) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("forensics report: cannot remove the spool file " + file + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /**
     * Which steps went to the table, by node and sequence: one bit per record, in blocks of 65,536 sequences made as
     * they are touched (1.25 MB for ten million records of a node), so a chain names a step written long before
     * without the report holding the steps themselves.
     */
    private static final class WrittenSteps {
        private static final int BLOCK_BITS = 16;

        private final Map<String, Map<Long, long[]>> blocks = new HashMap<>();
        private String lastNode;
        private Map<Long, long[]> lastNodeBlocks;
        private long lastBlockKey = -1;
        private long[] lastBlock;

        /** Marks the step; true when it was not marked before. */
        boolean add(String node, long seq) {
            if (!node.equals(lastNode)) {
                lastNode = node;
                lastNodeBlocks = blocks.computeIfAbsent(node, n -> new HashMap<>());
                lastBlockKey = -1;
            }
            long key = seq >>> BLOCK_BITS;
            if (key != lastBlockKey) {
                lastBlockKey = key;
                lastBlock = lastNodeBlocks.computeIfAbsent(key, k -> new long[(1 << BLOCK_BITS) / 64]);
            }
            int bit = (int) (seq & ((1 << BLOCK_BITS) - 1));
            long mask = 1L << bit;
            int word = bit >>> 6;
            if ((lastBlock[word] & mask) != 0) {
                return false;
            }
            lastBlock[word] |= mask;
            return true;
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
