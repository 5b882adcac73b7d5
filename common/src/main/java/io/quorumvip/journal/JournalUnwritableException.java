package io.quorumvip.journal;

/** An append could not be made durable (disk full, I/O error, journal closed). The event is not in the journal. */
public final class JournalUnwritableException extends RuntimeException {

    public JournalUnwritableException(String message, Throwable cause) {
        super(message, cause);
    }
}
