package io.quorumvip.journal;

import io.quorumvip.events.EventRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads a journal directory front to back without changing it: CRC-checked frames, decoded records, the place of
 * each. A torn tail at the very end (a writer crashed and has not reopened yet) is reported, not thrown; anything
 * else that does not read is a {@link JournalDamageException} naming segment and offset.
 */
public final class JournalReader {

    /** Receives each record in journal order; return false to stop reading. */
    @FunctionalInterface
    public interface Visitor {
        boolean record(Path segment, long offset, EventRecord record, byte[] payload, int payloadOffset, int payloadLength);
    }

    /** Called at each segment start, before its first record (verification checks the header's base hash). */
    @FunctionalInterface
    public interface SegmentListener {
        void segment(Path segment, SegmentHeader header);
    }

    public record Outcome(long records, boolean stopped, Optional<TornTail> tornTail) {
    }

    private JournalReader() {
    }

    /** The segment files of a journal, in order; a gap in the numbering is damage. */
    public static List<Path> segmentFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("journal directory " + dir + " does not exist or is not a directory");
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(p -> SegmentHeader.indexOf(p) >= 0).sorted().forEach(files::add);
        }
        for (int i = 1; i < files.size(); i++) {
            long previous = SegmentHeader.indexOf(files.get(i - 1));
            long current = SegmentHeader.indexOf(files.get(i));
            if (current != previous + 1) {
                throw new JournalDamageException(files.get(i), 0, "segment " + (previous + 1) + " is missing (found "
                        + previous + " then " + current + "): restore it from a backup or keep only the segments after the gap");
            }
        }
        return files;
    }

    public static Outcome read(List<Path> segments, SegmentListener listener, Visitor visitor) throws IOException {
        EventCodec codec = new EventCodec();
        long count = 0;
        for (int i = 0; i < segments.size(); i++) {
            boolean last = i == segments.size() - 1;
            try (SegmentCursor cursor = SegmentCursor.open(segments.get(i))) {
                listener.segment(cursor.file(), cursor.header());
                while (true) {
                    SegmentCursor.Frame frame = cursor.next();
                    if (frame == SegmentCursor.Frame.END) {
                        break;
                    }
                    if (frame != SegmentCursor.Frame.RECORD) {
                        TornTail torn = tornOrDamaged(cursor, frame, last);
                        return new Outcome(count, false, Optional.of(torn));
                    }
                    EventRecord record = decode(codec, cursor);
                    count++;
                    if (!visitor.record(cursor.file(), cursor.offset(), record, cursor.payload(), cursor.payloadOffset(),
                            cursor.payloadLength())) {
                        return new Outcome(count, true, Optional.empty());
                    }
                }
            }
        }
        return new Outcome(count, false, Optional.empty());
    }

    static EventRecord decode(EventCodec codec, SegmentCursor cursor) {
        try {
            return codec.decode(cursor.payload(), cursor.payloadOffset(), cursor.payloadLength());
        } catch (MalformedRecordException e) {
            throw new JournalDamageException(cursor.file(), cursor.offset(), "record passes its CRC but does not decode: " + e.getMessage());
        }
    }

    /** Classifies a bad frame: the unfinished end of the last segment, or damage (thrown). */
    static TornTail tornOrDamaged(SegmentCursor cursor, SegmentCursor.Frame frame, boolean lastSegment) throws IOException {
        String reason = SegmentCursor.describe(frame);
        if (!lastSegment) {
            throw new JournalDamageException(cursor.file(), cursor.offset(), reason
                    + " in a sealed segment (it was fsynced before the next one began): the segment was truncated or altered");
        }
        if (cursor.intactFrameAfter(cursor.offset())) {
            throw new JournalDamageException(cursor.file(), cursor.offset(), reason
                    + ", and intact records follow: this is damage in the middle, not a torn write");
        }
        return new TornTail(cursor.file(), cursor.offset(), cursor.size() - cursor.offset(), reason);
    }
}
