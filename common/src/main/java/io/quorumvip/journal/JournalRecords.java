package io.quorumvip.journal;

import io.quorumvip.events.EventRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * A journal directory read one record at a time, front to back, with the checks of {@link JournalReader#read}: for a
 * reader that holds one record per journal (the streamed merge of forensics). One segment is open at a time; it is
 * closed when read to its end, and {@link #close} closes it early.
 */
public final class JournalRecords implements Iterator<EventRecord>, AutoCloseable {

    private final Path dir;
    private final List<Path> segments;
    private final EventCodec codec = new EventCodec();
    private int segment = -1;
    private SegmentCursor cursor;
    private EventRecord next;
    private TornTail tornTail;
    private long count;

    private JournalRecords(Path dir, List<Path> segments) {
        this.dir = dir;
        this.segments = segments;
    }

    /** The records of the journal in {@code dir}; a gap in its segments is damage (see {@link JournalReader#segmentFiles}). */
    public static JournalRecords open(Path dir) throws IOException {
        return new JournalRecords(dir, JournalReader.segmentFiles(dir));
    }

    /**
     * @throws UncheckedIOException    when a segment cannot be read
     * @throws JournalDamageException  when a record does not read anywhere but at the very end
     */
    @Override
    public boolean hasNext() {
        try {
            while (next == null && tornTail == null) {
                if (cursor == null) {
                    if (segment + 1 >= segments.size()) {
                        return false;
                    }
                    cursor = SegmentCursor.open(segments.get(++segment));
                }
                SegmentCursor.Frame frame = cursor.next();
                if (frame == SegmentCursor.Frame.END) {
                    closeSegment();
                } else if (frame != SegmentCursor.Frame.RECORD) {
                    tornTail = JournalReader.tornOrDamaged(cursor, frame, segment == segments.size() - 1);
                    closeSegment();
                } else {
                    next = JournalReader.decode(codec, cursor);
                }
            }
            return next != null;
        } catch (IOException e) {
            throw new UncheckedIOException("journal " + dir + ": cannot read segment " + segments.get(segment).getFileName()
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public EventRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException("journal read to its end");
        }
        EventRecord record = next;
        next = null;
        count++;
        return record;
    }

    /** How many records were read so far. */
    public long count() {
        return count;
    }

    /** The unfinished end of the last segment, once read up to it (a writer crashed and has not reopened yet). */
    public Optional<TornTail> tornTail() {
        return Optional.ofNullable(tornTail);
    }

    @Override
    public void close() throws IOException {
        closeSegment();
    }

    private void closeSegment() throws IOException {
        if (cursor != null) {
            SegmentCursor c = cursor;
            cursor = null;
            c.close();
        }
    }
}
