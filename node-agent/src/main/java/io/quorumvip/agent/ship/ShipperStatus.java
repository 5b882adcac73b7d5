package io.quorumvip.agent.ship;

/**
 * One coordinator's part of {@code /v1/status}'s {@code shipping}. Field names are rendered in snake_case.
 *
 * @param coordinator host:port
 * @param ackedSeq    the highest seq the coordinator said it stored; null until it first answered
 * @param lagRecords  durable records of this node the coordinator has not acknowledged
 * @param state       {@code starting}, {@code caught_up}, {@code shipping} or {@code backing_off}
 * @param lastError   the last failure, kind first; empty after a success
 */
public record ShipperStatus(String coordinator, Long ackedSeq, long lagRecords, String state, String lastError) {
}
