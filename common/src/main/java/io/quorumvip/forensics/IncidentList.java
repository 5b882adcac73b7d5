package io.quorumvip.forensics;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The incidents of a report, each with its chain of causes built when it is read and not kept: years of history
 * hold hundreds of thousands of incidents, and their chains would not fit in memory at once; a renderer reads them
 * one at a time.
 */
final class IncidentList extends AbstractList<Incident> implements RandomAccess {

    private final List<IncidentSweep.Found> found;
    private final IncidentSweep finder;

    IncidentList(List<IncidentSweep.Found> found, IncidentSweep finder) {
        this.found = List.copyOf(found);
        this.finder = finder;
    }

    @Override
    public Incident get(int index) {
        return finder.withCauses(found.get(index));
    }

    @Override
    public int size() {
        return found.size();
    }

    /** Whether any incident is of this kind, without building chains. */
    boolean any(IncidentKind kind) {
        return found.stream().anyMatch(f -> f.incident().kind() == kind);
    }

    /** The incidents without their chains (for counting). */
    List<Incident> skeletons() {
        return found.stream().map(IncidentSweep.Found::incident).toList();
    }
}
