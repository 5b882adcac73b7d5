package io.quorumvip.journal;

import java.nio.file.Path;

/** The unfinished end of the last segment, left by a crash mid-write: nothing in it was acknowledged as durable. */
public record TornTail(Path segment, long offset, long bytes, String reason) {

    @Override
    public String toString() {
        return "torn tail in " + segment + " at byte " + offset + " (" + bytes + " bytes): " + reason;
    }
}
