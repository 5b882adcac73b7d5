package io.quorumvip.lb;

import io.quorumvip.config.CheckKind;
import io.quorumvip.config.CheckTarget;
import io.quorumvip.config.CheckTiming;
import io.quorumvip.config.CheckerConfig;
import io.quorumvip.config.LoadBalancingConfig;
import io.quorumvip.config.RealServerConfig;
import io.quorumvip.config.VirtualServerConfig;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * How many conntrack entries the TCP health checks hold at once. Where conntrack runs in the director's namespace
 * (NAT virtual servers need it), it tracks the checks' own connections too: each one closed with a FIN stays as a
 * TIME_WAIT entry for nf_conntrack_tcp_timeout_time_wait (120 s), one closed with close_with_reset as a CLOSE entry
 * for nf_conntrack_tcp_timeout_close (10 s). 10,000 TCP_CHECKs a second held 1.2 million entries against a
 * nf_conntrack_max of 262,144: the full table dropped SYNs and the VRRP adverts (issue 12).
 *
 * @param finsPerSecond   check connections a second that end with a FIN (keepalived's close)
 * @param resetsPerSecond check connections a second that end with an RST ({@code close_with_reset})
 */
public record ConntrackBudget(double finsPerSecond, double resetsPerSecond) {

    /** The share of the table the checks may hold before the warning: the rest is the clients'. */
    static final double WARN_SHARE = 0.5;

    /**
     * Each TCP checker once a delay_loop (a failing one retries sooner; a few do not change the sum). A checker that
     * several virtual servers share (the same kind, timing and target) runs once, as the agent shares it. One with
     * {@code untracked} holds none: its connections skip conntrack where the agent makes it run (NAT).
     */
    public static ConntrackBudget of(LoadBalancingConfig config) {
        Set<Shared> seen = new HashSet<>();
        double fins = 0;
        double resets = 0;
        for (VirtualServerConfig vs : config.virtualServers()) {
            for (CheckerConfig checker : vs.realServers().stream().map(RealServerConfig::checkers)
                    .flatMap(List::stream).toList()) {
                if (!connectsOverTcp(checker.kind()) || checker.target().untracked()
                        || !seen.add(new Shared(checker.kind(), checker.timing(), checker.target()))) {
                    continue;
                }
                double perSecond = 1e9 / Math.max(1, checker.timing().delayLoop().toNanos());
                if (checker.target().closeWithReset()) {
                    resets += perSecond;
                } else {
                    fins += perSecond;
                }
            }
        }
        return new ConntrackBudget(fins, resets);
    }

    private record Shared(CheckKind kind, CheckTiming timing, CheckTarget target) {
    }

    private static boolean connectsOverTcp(CheckKind kind) {
        return kind instanceof CheckKind.Tcp || kind instanceof CheckKind.Http || kind instanceof CheckKind.Smtp
                || kind instanceof CheckKind.Agent;
    }

    /** The entries held once the checks run steadily. */
    public long entries(Duration timeWait, Duration close) {
        return Math.round(finsPerSecond * timeWait.toMillis() / 1000.0 + resetsPerSecond * close.toMillis() / 1000.0);
    }

    /**
     * A warning when the checks would hold over half of the namespace's table, saying what to change; none below.
     *
     * @param conntrackMax nf_conntrack_max as this namespace reads it
     */
    public Optional<String> warning(long conntrackMax, Duration timeWait, Duration close) {
        long entries = entries(timeWait, close);
        if (entries <= conntrackMax * WARN_SHARE) {
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "the health checks hold about %,d conntrack "
                + "entries (%,.0f TCP check connections a second", entries, finsPerSecond + resetsPerSecond));
        if (finsPerSecond > 0) {
            text.append(String.format(Locale.ROOT, ", %,.0f closed with a FIN and held %d s in TIME_WAIT",
                    finsPerSecond, timeWait.toSeconds()));
        }
        text.append(String.format(Locale.ROOT, "), over half of nf_conntrack_max %,d: once the table is full the "
                + "kernel drops new connections, the checks' and clients', and the VRRP adverts; ", conntrackMax));
        if (finsPerSecond > 0) {
            text.append("add close_with_reset to the TCP_CHECK, HTTP_GET and SSL_GET blocks (held ")
                    .append(close.toSeconds()).append(" s each), ");
        }
        return Optional.of(text.append("add untracked to the TCP_CHECK and HTTP_GET blocks (none held, unless the "
                + "director's firewall needs them tracked), raise net.netfilter.nf_conntrack_max, or lengthen delay_loop")
                .toString());
    }
}
