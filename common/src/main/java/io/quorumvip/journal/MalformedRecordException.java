package io.quorumvip.journal;

/** A record passed its CRC but its bytes do not decode: a writer bug or a schema mismatch, never a torn write. */
public final class MalformedRecordException extends RuntimeException {

    public MalformedRecordException(String message) {
        super(message);
    }
}
