package io.quorumvip.coordinator;

/** What an ingest request did to a node's archive; every outcome names the highest sequence durably stored. */
sealed interface IngestOutcome {

    String node();

    long ackedSeq();

    /** All records are stored now (new ones fsynced, duplicates skipped). */
    record Stored(String node, long ackedSeq, int stored, int duplicates) implements IngestOutcome {
    }

    /**
     * A record did not continue the stored chain (a gap or a broken hash chain). The records before it were stored
     * and are included in {@code ackedSeq}; the agent resends from {@code ackedSeq + 1}.
     */
    record Conflict(String node, long ackedSeq, int stored, String message) implements IngestOutcome {
    }
}
