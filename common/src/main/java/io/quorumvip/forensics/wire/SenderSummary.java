package io.quorumvip.forensics.wire;

import io.quorumvip.forensics.Times;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one sender put on the wire in a window, over all captures: the same frame is usually seen by several nodes,
 * so {@code sent} is the most any one capture saw, and {@code seenBy} says which capture saw how many (a partition
 * shows as a sender one side never saw).
 *
 * @param what                 sender and kind, e.g. {@code VRRPv2 advert from 192.0.2.11 VRID 66 every 1000 ms}
 * @param firstMicros          the first frame, µs since 1970
 * @param lastMicros           the last frame
 * @param sent                 the most frames any one capture holds
 * @param seenBy               frames per capture ({@code node@interface}), in the order first seen
 * @param priorities           for adverts, the priorities in the order first seen (0: the master stepped down)
 * @param silenceFromMicros    for adverts, the start of the longest stretch of the window without one
 * @param silenceToMicros      its end (the window's edges count: a sender silent at the end is silent up to it)
 */
public record SenderSummary(String what, long firstMicros, long lastMicros, int sent, Map<String, Integer> seenBy,
                            List<Integer> priorities, long silenceFromMicros, long silenceToMicros) {

    public SenderSummary {
        seenBy = Collections.unmodifiableMap(new LinkedHashMap<>(seenBy));
        priorities = List.copyOf(priorities);
    }

    static SenderSummary of(String what, List<WireRecord> group, WireEvidence.Window window) {
        Map<String, Integer> seenBy = new LinkedHashMap<>();
        Set<Integer> priorities = new LinkedHashSet<>();
        List<Long> times = new ArrayList<>();
        for (WireRecord record : group) {
            seenBy.merge(record.frame().capture(), 1, Integer::sum);
            times.add(record.frame().micros());
            if (record instanceof WireRecord.Advert advert) {
                priorities.add(advert.packet().priority());
            }
        }
        long silenceFrom = 0;
        long silenceTo = 0;
        if (!priorities.isEmpty()) {
            long previous = window.fromMicros();
            times.add(window.toMicros());
            for (long time : times) {
                if (time - previous > silenceTo - silenceFrom) {
                    silenceFrom = previous;
                    silenceTo = time;
                }
                previous = Math.max(previous, time);
            }
            times.remove(times.size() - 1);
        }
        int sent = seenBy.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        return new SenderSummary(what, times.get(0), times.get(times.size() - 1), sent, seenBy,
                List.copyOf(priorities), silenceFrom, silenceTo);
    }

    public boolean isAdvert() {
        return !priorities.isEmpty();
    }

    /** One line for the text report. */
    public String text() {
        StringBuilder line = new StringBuilder(what);
        if (isAdvert()) {
            line.append(priorities.size() == 1 ? " priority " : " priorities ")
                    .append(priorities.stream().map(String::valueOf).collect(Collectors.joining(", ")));
        }
        line.append(": ").append(sent).append(sent == 1 ? " frame " : " frames ")
                .append(Times.clock(firstMicros));
        if (lastMicros != firstMicros) {
            line.append(" .. ").append(Times.clock(lastMicros));
        }
        line.append(" (seen by ").append(seenBy.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "))).append(')');
        if (isAdvert()) {
            line.append("; longest silence ").append(Times.duration(silenceToMicros - silenceFromMicros))
                    .append(" (").append(Times.clock(silenceFromMicros)).append(" .. ")
                    .append(Times.clock(silenceToMicros)).append(')');
        }
        return line.toString();
    }
}
