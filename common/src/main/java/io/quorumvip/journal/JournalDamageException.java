package io.quorumvip.journal;

import java.nio.file.Path;

/**
 * The journal is damaged where a torn write cannot explain it: the place is named so an operator can look at it.
 * Never caught to skip a record; the journal refuses to open until someone decides what to do.
 */
public final class JournalDamageException extends RuntimeException {

    private final Path segment;
    private final long offset;

    public JournalDamageException(Path segment, long offset, String problem) {
        super(segment + " at byte " + offset + ": " + problem);
        this.segment = segment;
        this.offset = offset;
    }

    public Path segment() {
        return segment;
    }

    public long offset() {
        return offset;
    }
}
