package io.quorumvip.coordinator;

import io.quorumvip.events.EventRecord;

/**
 * A record as an agent shipped it: the decoded record and its frame exactly as received, so the coordinator stores
 * the agent's bytes unchanged and the hash chain stays the agent's.
 *
 * @param offset where the frame starts in the request body
 */
record ReceivedRecord(EventRecord record, byte[] frame, int offset) {

    int payloadOffset() {
        return RecordBatch.FRAME_HEADER;
    }

    int payloadLength() {
        return frame.length - RecordBatch.FRAME_HEADER;
    }
}
