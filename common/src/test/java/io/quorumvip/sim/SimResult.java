package io.quorumvip.sim;

import java.util.Optional;

/**
 * The outcome of one seed.
 *
 * @param seed      the seed; {@code -Dqvip.sim.seed=N} replays it
 * @param violation what the checker found (safety: two kernels held the VIP; liveness: not one owner in the end)
 * @param safety    whether the violation is a safety one
 * @param closestHandOverNanos the shortest time from one kernel losing the VIP to another kernel adding it
 *                             ({@code Long.MAX_VALUE} when the VIP never moved between nodes)
 * @param closestAfterLifetimeNanos the same, counting only losses where the kernel removed an address whose
 *                                  lifetime ran out (frozen, dead or cut-off owner)
 * @param traceHash hash of every trace line: equal for equal runs
 * @param events    number of events executed
 * @param traceTail the last trace lines
 */
record SimResult(long seed, Optional<String> violation, boolean safety, long closestHandOverNanos,
                 long closestAfterLifetimeNanos, long traceHash,
                 long events,
                 String traceTail) {

    boolean ok() {
        return violation.isEmpty();
    }

    String report() {
        return "seed " + seed + ": " + violation.orElse("ok") + "\nreplay: mvn -B -ntp -pl common test"
                + " -Dtest=SimulationTest -Dqvip.sim.seed=" + seed + "\ntrace tail:\n" + traceTail;
    }
}
