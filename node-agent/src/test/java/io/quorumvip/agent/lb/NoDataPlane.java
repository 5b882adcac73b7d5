package io.quorumvip.agent.lb;

import io.quorumvip.lb.LvsStats;
import java.util.Map;

/** A data plane that takes every program and lists no table: for tests about checks and the journal, not nftables. */
public final class NoDataPlane implements DataPlane {

    @Override
    public void apply(String document) {
    }

    @Override
    public Map<String, LvsStats.Counter> counters(String family) {
        return Map.of();
    }

    @Override
    public void close() {
    }
}
