package io.quorumvip.coordinator;

import io.quorumvip.events.EventRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A place in the merged cluster timeline, just after one record: its HLC, node and sequence, the order of
 * {@link io.quorumvip.forensics.MergedJournals#ORDER}. Written as {@code HLC-SEQ-NODE} (the node last, since ids may
 * contain '-').
 */
record EventCursor(long hlc, long seq, String node) {

    private static final Pattern FORM = Pattern.compile("(\\d{1,19})-(\\d{1,19})-(.+)");

    static EventCursor after(EventRecord record) {
        return new EventCursor(record.hlc(), record.seq(), record.node());
    }

    /** @throws IllegalArgumentException naming the value and the expected form */
    static EventCursor parse(String text) {
        Matcher m = FORM.matcher(text);
        if (m.matches()) {
            try {
                return new EventCursor(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(3));
            } catch (NumberFormatException e) {
                throw invalid(text);
            }
        }
        throw invalid(text);
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("since got '" + text
                + "' (expected a cursor HLC-SEQ-NODE as returned in 'next' by the previous page)");
    }

    /** Whether {@code record} comes after this place in the merged order. */
    boolean isBefore(EventRecord record) {
        return isBefore(record.hlc(), record.node(), record.seq());
    }

    /** Whether the record of {@code node} with this stamp and sequence comes after this place in the merged order. */
    boolean isBefore(long recordHlc, String recordNode, long recordSeq) {
        int byHlc = Long.compare(recordHlc, hlc);
        if (byHlc != 0) {
            return byHlc > 0;
        }
        int byNode = recordNode.compareTo(node);
        return byNode != 0 ? byNode > 0 : recordSeq > seq;
    }

    @Override
    public String toString() {
        return hlc + "-" + seq + "-" + node;
    }
}
