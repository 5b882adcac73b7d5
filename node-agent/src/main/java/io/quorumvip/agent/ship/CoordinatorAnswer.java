package io.quorumvip.agent.ship;

/** What one POST of records to a coordinator came to, read from its status and JSON body (docs/coordinator.md). */
sealed interface CoordinatorAnswer {

    /** 200: everything up to {@code ackedSeq} is durably stored there. */
    record Acked(long ackedSeq) implements CoordinatorAnswer {
    }

    /** 409: stored up to {@code ackedSeq}; the records after it did not continue the chain. */
    record Conflict(long ackedSeq, String error) implements CoordinatorAnswer {
    }

    /** 400, 401, 413 and other 4xx: resending the same bytes cannot help; someone must look. */
    record Rejected(int status, String error) implements CoordinatorAnswer {
    }

    /** 5xx, an answer that does not parse, or no answer at all: retry the same records later. */
    record Unavailable(String kind, String error) implements CoordinatorAnswer {
    }
}
