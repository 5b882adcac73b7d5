package io.quorumvip.lb;

import io.quorumvip.events.Event;
import java.util.stream.Collectors;

/** The load-balancing events in words, for forensics' chains of causes and replay's view. */
public final class LbEventText {

    private LbEventText() {
    }

    public static String describe(Event event) {
        return switch (event.type()) {
            case REAL_SERVER_UP -> {
                var e = (Event.RealServerUp) event;
                yield e.virtualServer() + " real server " + e.realServer() + " up (" + evidence(e.evidence()) + ")";
            }
            case REAL_SERVER_DOWN -> {
                var e = (Event.RealServerDown) event;
                yield e.virtualServer() + " real server " + e.realServer() + " down (" + evidence(e.evidence()) + ")";
            }
            case POOL_CHANGED -> {
                var e = (Event.PoolChanged) event;
                yield e.virtualServer() + " pool " + members(e) + " (nftables generation " + e.generation() + ")";
            }
            case VIRTUAL_SERVER_QUORUM_LOST -> {
                var e = (Event.VirtualServerQuorumLost) event;
                yield e.virtualServer() + " quorum lost (live weight " + e.liveWeight() + " < " + e.threshold() + ")";
            }
            case VIRTUAL_SERVER_QUORUM_GAINED -> {
                var e = (Event.VirtualServerQuorumGained) event;
                yield e.virtualServer() + " quorum gained (live weight " + e.liveWeight() + " >= " + e.threshold()
                        + ")";
            }
            case SORRY_SERVER_IN -> {
                var e = (Event.SorryServerIn) event;
                yield e.virtualServer() + " sorry server " + e.sorryServer() + " serves";
            }
            case SORRY_SERVER_OUT -> {
                var e = (Event.SorryServerOut) event;
                yield e.virtualServer() + " sorry server " + e.sorryServer() + " out";
            }
            default -> throw new IllegalArgumentException("not a load-balancing event: " + event.type());
        };
    }

    /** {@code [192.0.2.51:80 w3, 192.0.2.52:80 w1]}; a sorry server is marked. */
    public static String members(Event.PoolChanged pool) {
        return pool.members().stream()
                .map(m -> m.endpoint() + " w" + m.weight() + (m.sorry() ? " sorry" : ""))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /** "TCP_CHECK connect refused, 4 in a row, 3 ms", with the status or exit code when there is one. */
    public static String evidence(Event.CheckEvidence e) {
        StringBuilder text = new StringBuilder(e.checker()).append(' ').append(e.detail());
        if (e.statusCode() >= 0 && !e.detail().contains(Integer.toString(e.statusCode()))) {
            text.append(", status ").append(e.statusCode());
        }
        if (e.exitCode() >= 0 && !e.detail().contains("exit")) {
            text.append(", exit code ").append(e.exitCode());
        }
        text.append(", ").append(e.consecutive()).append(" in a row, ").append(e.latencyMicros() / 1000).append(" ms");
        return text.toString();
    }
}
