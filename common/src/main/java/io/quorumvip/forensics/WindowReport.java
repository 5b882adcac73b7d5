package io.quorumvip.forensics;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON report of one window ({@code qvip forensics --json --from --to}) put together from what an analysis of
 * the whole history found (a fold's settled results and its tail, with no window), instead of analysing the history
 * again: the window only chooses what is reported, so its intervals and incidents are those of the whole analysis
 * that touch it, in the same order; the nodes, span and notes are the whole analysis'; who owned each address, how
 * many of its incidents and whether a split brain was in it are counted over what touches the window, with the
 * rules the sweep applies ({@link IncidentSweep#share}). Give the intervals and incidents in the order the whole
 * analysis gave them; those outside the window are skipped here.
 */
public final class WindowReport implements AutoCloseable {

    private final ForensicsSettings window;
    private final JsonReport.Stream json;
    /** Per address, per node: {owned µs, binds} within the window. */
    private final Map<String, Map<String, long[]>> shares = new HashMap<>();
    /** Per address: {NO_OWNER, DUAL_OWNERSHIP} incidents in the window. */
    private final Map<String, int[]> counts = new HashMap<>();
    private boolean splitBrain;

    /** {@code spoolDirectory}: as {@link JsonReport.Stream}'s (null: in memory). */
    public WindowReport(OutputStream out, ForensicsSettings window, Path spoolDirectory) {
        this.window = window;
        this.json = new JsonReport.Stream(out, window, spoolDirectory);
    }

    /** Whether something from {@code startMicros} to {@code endMicros} is reported: it touches the window. */
    public boolean touches(long startMicros, long endMicros) {
        return endMicros >= window.fromMicros() && startMicros <= window.toMicros();
    }

    public void interval(IntervalRow interval) {
        if (!touches(interval.startMicros(), interval.endMaxMicros())) {
            return;
        }
        json.interval(interval);
        if (interval.kind() == IntervalKind.VIP) {
            IncidentSweep.share(shares.computeIfAbsent(interval.subject(), a -> new HashMap<>())
                    .computeIfAbsent(interval.node(), n -> new long[2]), window, interval.startMicros(),
                    interval.endMinMicros());
        }
    }

    public void incident(Incident incident) {
        if (!touches(incident.startMicros(), incident.endMicros())) {
            return;
        }
        json.incident(incident, null);
        switch (incident.kind()) {
            case NO_OWNER -> counts.computeIfAbsent(incident.address(), a -> new int[2])[0]++;
            case DUAL_OWNERSHIP -> {
                counts.computeIfAbsent(incident.address(), a -> new int[2])[1]++;
                splitBrain = true;
            }
            default -> {
            }
        }
    }

    /**
     * Ends the report with {@code whole}'s nodes, span and notes, and its addresses and their owners, each counted
     * within the window.
     */
    public void finish(Forensics.Summary whole) {
        List<VipSummary> vips = new ArrayList<>();
        for (VipSummary vip : whole.vips()) {
            Map<String, long[]> byNode = shares.getOrDefault(vip.address(), Map.of());
            List<VipSummary.Owner> owners = new ArrayList<>();
            for (VipSummary.Owner owner : vip.owners()) {
                long[] share = byNode.getOrDefault(owner.node(), new long[2]);
                owners.add(new VipSummary.Owner(owner.node(), share[0], (int) share[1]));
            }
            int[] count = counts.getOrDefault(vip.address(), new int[2]);
            vips.add(new VipSummary(vip.address(), vip.instance(), owners, count[0], count[1]));
        }
        json.finish(new Forensics.Summary(window, whole.nodes(), whole.firstMicros(), whole.lastMicros(), vips,
                whole.notes(), splitBrain), List.of());
    }

    @Override
    public void close() {
        json.close();
    }
}
