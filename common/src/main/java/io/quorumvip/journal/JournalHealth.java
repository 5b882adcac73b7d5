package io.quorumvip.journal;

/**
 * Whether the journal can take a write-ahead record now. The agent reads it before gaining the VIP: anything but
 * {@link Status#WRITABLE} means "cannot write ahead, do not take the address".
 */
public record JournalHealth(Status status, String problem) {

    public enum Status {
        /** The last write (if any) became durable. */
        WRITABLE,
        /** The last write failed (disk full, I/O error); the journal is consistent and the next append retries. */
        FAILING,
        /** A failed write could not be undone on disk; appends are refused until the journal is reopened. */
        BROKEN,
        /** {@link Journal#close()} was called. */
        CLOSED
    }

    static final JournalHealth OK = new JournalHealth(Status.WRITABLE, "");

    public boolean canWriteAhead() {
        return status == Status.WRITABLE;
    }
}
