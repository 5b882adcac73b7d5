package io.quorumvip.agent.lb;

import io.quorumvip.check.ProbeResult;
import io.quorumvip.check.UdpReply;
import io.quorumvip.config.CheckKind;
import io.quorumvip.config.CheckerConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * UDP_CHECK as keepalived's check_udp.c judges it: an ICMP port unreachable fails it; silence until connect_timeout
 * is a success unless {@code require_reply}; a reply must then match the pattern and length limits.
 */
final class UdpProber implements Prober {

    /** Without {@code payload} keepalived sends a few random bytes. */
    static final int RANDOM_PAYLOAD_BYTES = 8;

    private final Vertx vertx;
    private final CheckKind.Udp udp;
    private final UdpExchange.Target target;

    UdpProber(Vertx vertx, CheckerConfig checker) {
        this.vertx = vertx;
        this.udp = (CheckKind.Udp) checker.kind();
        this.target = UdpExchange.Target.of(checker);
    }

    @Override
    public Future<ProbeResult> probe() {
        long start = System.nanoTime();
        byte[] payload = udp.payload().orElseGet(() -> {
            byte[] random = new byte[RANDOM_PAYLOAD_BYTES];
            ThreadLocalRandom.current().nextBytes(random);
            return random;
        });
        return UdpExchange.send(vertx, target, payload).map(outcome -> {
            if (outcome instanceof UdpExchange.Outcome.Unreachable) {
                return ProbeResult.failure("ICMP port unreachable", TcpProber.since(start));
            }
            if (outcome instanceof UdpExchange.Outcome.Error error) {
                return ProbeResult.failure(error.message(), TcpProber.since(start));
            }
            if (outcome instanceof UdpExchange.Outcome.Reply reply) {
                if (!udp.requireReply()) {
                    return ProbeResult.success("replied " + reply.bytes().length + " bytes", TcpProber.since(start));
                }
                return UdpReply.problem(reply.bytes(), udp.replyPattern(), udp.minReplyLength(),
                                udp.maxReplyLength())
                        .map(problem -> ProbeResult.failure(problem, TcpProber.since(start)))
                        .orElseGet(() -> ProbeResult.success("reply " + HexFormat.of().formatHex(reply.bytes()),
                                TcpProber.since(start)));
            }
            return udp.requireReply() ? ProbeResult.failure("no reply within " + target.timeoutMillis() + " ms",
                    TcpProber.since(start))
                    : ProbeResult.success("no reply, none required", TcpProber.since(start));
        });
    }
}
