package io.quorumvip.forensics;

import io.quorumvip.events.EventRecord;
import io.quorumvip.journal.EventCodec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bytes of an {@link IncidentFold}'s state ({@link IncidentFold#save}, {@link IncidentFold#restore}): each part
 * of the fold writes its own fields through a {@link Writer} and reads them back in the same order through a
 * {@link Reader}. Records and intervals are written once and named by number afterwards, so what the state shares
 * stays shared after a restore: the sweep finds an interval's opening record among the records it keeps by identity.
 * Records use the journal's own encoding ({@link EventCodec}). No framing, version or checksum: the file that holds
 * the bytes (the coordinator's) carries those.
 */
final class FoldState {

    /** Raised when the bytes do not decode as a fold's state. */
    static final class CorruptException extends IOException {
        CorruptException(String message) {
            super(message);
        }
    }

    private FoldState() {
    }

    /** Writes a state; one per state (its tables of records and intervals written so far). */
    static final class Writer {
        private final DataOutputStream out;
        private final Map<EventRecord, Integer> records = new IdentityHashMap<>();
        private final Map<Interval, Integer> intervals = new IdentityHashMap<>();

        Writer(DataOutputStream out) {
            this.out = out;
        }

        void number(long value) throws IOException {
            out.writeLong(value);
        }

        void count(int value) throws IOException {
            out.writeInt(value);
        }

        void flag(boolean value) throws IOException {
            out.writeBoolean(value);
        }

        void text(String text) throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            out.writeInt(bytes.length);
            out.write(bytes);
        }

        void longs(long[] values) throws IOException {
            count(values.length);
            for (long value : values) {
                number(value);
            }
        }

        void maybeText(String text) throws IOException {
            flag(text != null);
            if (text != null) {
                text(text);
            }
        }

        void texts(Collection<String> texts) throws IOException {
            count(texts.size());
            for (String text : texts) {
                text(text);
            }
        }

        /** A record, or null: its encoding the first time, its number after. */
        void record(EventRecord record) throws IOException {
            if (record == null) {
                count(-1);
                return;
            }
            Integer known = records.get(record);
            if (known != null) {
                count(known);
                return;
            }
            records.put(record, records.size());
            count(records.size() - 1);
            byte[] bytes = EventCodec.encode(record);
            count(bytes.length);
            out.write(bytes);
        }

        void records(Collection<EventRecord> list) throws IOException {
            count(list.size());
            for (EventRecord record : list) {
                record(record);
            }
        }

        /** An interval, or null: its fields the first time, its number after. */
        void interval(Interval interval) throws IOException {
            if (interval == null) {
                count(-1);
                return;
            }
            Integer known = intervals.get(interval);
            if (known != null) {
                count(known);
                return;
            }
            intervals.put(interval, intervals.size());
            count(intervals.size() - 1);
            count(interval.kind().ordinal());
            text(interval.node());
            text(interval.instance());
            count(interval.vrid());
            text(interval.subject());
            count(interval.lifetimeSeconds());
            number(interval.startMicros());
            number(interval.endMinMicros());
            number(interval.endMaxMicros());
            count(interval.endReason().ordinal());
            record(interval.opening());
            record(interval.closing().orElse(null));
        }

        void intervals(Collection<Interval> list) throws IOException {
            count(list.size());
            for (Interval interval : list) {
                interval(interval);
            }
        }

        void incident(Incident incident) throws IOException {
            count(incident.kind().ordinal());
            number(incident.startMicros());
            number(incident.endMicros());
            number(incident.minDurationMicros());
            number(incident.maxDurationMicros());
            texts(incident.nodes());
            text(incident.instance());
            count(incident.vrid());
            text(incident.address());
            text(incident.summary());
            count(incident.causes().size());
            for (CauseStep step : incident.causes()) {
                text(step.node());
                number(step.seq());
                number(step.timeMicros());
                number(step.hlc());
                text(step.text());
            }
            texts(incident.notes());
        }

        void found(IncidentSweep.Found found) throws IOException {
            incident(found.incident());
            flag(found.edges() != null);
            if (found.edges() != null) {
                records(found.edges());
            }
        }
    }

    /** Reads a state written by a {@link Writer}, in the same order. */
    static final class Reader {
        private final DataInputStream in;
        private final EventCodec codec = new EventCodec();
        private final List<EventRecord> records = new ArrayList<>();
        private final List<Interval> intervals = new ArrayList<>();

        Reader(DataInputStream in) {
            this.in = in;
        }

        long number() throws IOException {
            return in.readLong();
        }

        int count() throws IOException {
            int count = in.readInt();
            if (count < 0) {
                throw new CorruptException("fold state: a count of " + count + " (expected >= 0)");
            }
            return count;
        }

        int signed() throws IOException {
            return in.readInt();
        }

        boolean flag() throws IOException {
            return in.readBoolean();
        }

        String text() throws IOException {
            byte[] bytes = new byte[count()];
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        long[] longs() throws IOException {
            long[] values = new long[count()];
            for (int i = 0; i < values.length; i++) {
                values[i] = number();
            }
            return values;
        }

        String maybeText() throws IOException {
            return flag() ? text() : null;
        }

        List<String> texts() throws IOException {
            int count = count();
            List<String> texts = new ArrayList<>(Math.min(count, 1024));
            for (int i = 0; i < count; i++) {
                texts.add(text());
            }
            return texts;
        }

        <E extends Enum<E>> E choice(E[] values, String what) throws IOException {
            int ordinal = signed();
            if (ordinal < 0 || ordinal >= values.length) {
                throw new CorruptException("fold state: " + what + " number " + ordinal + " (expected 0.."
                        + (values.length - 1) + ")");
            }
            return values[ordinal];
        }

        EventRecord record() throws IOException {
            int number = signed();
            if (number == -1) {
                return null;
            }
            if (number < records.size()) {
                return records.get(number);
            }
            if (number != records.size()) {
                throw new CorruptException("fold state: record number " + number + " (expected at most "
                        + records.size() + ")");
            }
            byte[] bytes = new byte[count()];
            in.readFully(bytes);
            EventRecord record;
            try {
                record = codec.decode(bytes, 0, bytes.length);
            } catch (RuntimeException e) {
                throw new CorruptException("fold state: record number " + number + " does not decode: "
                        + e.getMessage());
            }
            records.add(record);
            return record;
        }

        List<EventRecord> records() throws IOException {
            int count = count();
            List<EventRecord> list = new ArrayList<>(Math.min(count, 1 << 16));
            for (int i = 0; i < count; i++) {
                list.add(record());
            }
            return list;
        }

        Interval interval() throws IOException {
            int number = signed();
            if (number == -1) {
                return null;
            }
            if (number < intervals.size()) {
                return intervals.get(number);
            }
            if (number != intervals.size()) {
                throw new CorruptException("fold state: interval number " + number + " (expected at most "
                        + intervals.size() + ")");
            }
            IntervalKind kind = choice(IntervalKind.values(), "interval kind");
            String node = text();
            String instance = text();
            int vrid = signed();
            String subject = text();
            int lifetime = signed();
            long start = number();
            long endMin = number();
            long endMax = number();
            EndReason reason = choice(EndReason.values(), "end reason");
            EventRecord opening = record();
            EventRecord closing = record();
            if (opening == null) {
                throw new CorruptException("fold state: interval number " + number + " has no opening record");
            }
            Interval interval;
            try {
                interval = new Interval(kind, node, instance, vrid, subject, lifetime, start, endMin, endMax, reason,
                        opening, Optional.ofNullable(closing));
            } catch (IllegalArgumentException e) {
                throw new CorruptException("fold state: " + e.getMessage());
            }
            intervals.add(interval);
            return interval;
        }

        List<Interval> intervals() throws IOException {
            int count = count();
            List<Interval> list = new ArrayList<>(Math.min(count, 1 << 16));
            for (int i = 0; i < count; i++) {
                list.add(interval());
            }
            return list;
        }

        Incident incident() throws IOException {
            IncidentKind kind = choice(IncidentKind.values(), "incident kind");
            long start = number();
            long end = number();
            long min = number();
            long max = number();
            List<String> nodes = texts();
            String instance = text();
            int vrid = signed();
            String address = text();
            String summary = text();
            int steps = count();
            List<CauseStep> causes = new ArrayList<>(Math.min(steps, 1024));
            for (int i = 0; i < steps; i++) {
                causes.add(new CauseStep(text(), number(), number(), number(), text()));
            }
            List<String> notes = texts();
            try {
                return new Incident(kind, start, end, min, max, nodes, instance, vrid, address, summary, causes, notes);
            } catch (IllegalArgumentException e) {
                throw new CorruptException("fold state: " + e.getMessage());
            }
        }

        IncidentSweep.Found found() throws IOException {
            Incident incident = incident();
            List<EventRecord> edges = flag() ? List.copyOf(records()) : null;
            return new IncidentSweep.Found(incident, edges);
        }
    }
}
