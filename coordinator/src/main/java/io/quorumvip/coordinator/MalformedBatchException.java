package io.quorumvip.coordinator;

/** An ingest body that is not journal frames; answered with 400 and this message. */
final class MalformedBatchException extends RuntimeException {

    MalformedBatchException(String message) {
        super(message);
    }
}
