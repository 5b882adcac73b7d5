package io.quorumvip.agent.lb;

import io.quorumvip.check.DnsMessage;
import io.quorumvip.check.ProbeResult;
import io.quorumvip.config.CheckKind;
import io.quorumvip.config.CheckerConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;

/** DNS_CHECK over UDP: one query (type, name, RD) with a random id; the answer must carry that id and RCODE 0. */
final class DnsProber implements Prober {

    private final Vertx vertx;
    private final CheckKind.Dns dns;
    private final UdpExchange.Target target;

    DnsProber(Vertx vertx, CheckerConfig checker) {
        this.vertx = vertx;
        this.dns = (CheckKind.Dns) checker.kind();
        this.target = UdpExchange.Target.of(checker);
    }

    @Override
    public Future<ProbeResult> probe() {
        long start = System.nanoTime();
        int id = ThreadLocalRandom.current().nextInt(1 << 16);
        String what = dns.type() + " " + dns.name();
        return UdpExchange.send(vertx, target, DnsMessage.query(id, dns.name(), dns.type()))
                .map(outcome -> {
                    Duration took = TcpProber.since(start);
                    if (outcome instanceof UdpExchange.Outcome.Reply reply) {
                        OptionalInt rcode = OptionalInt.of(DnsMessage.rcode(reply.bytes()));
                        Optional<String> problem = DnsMessage.problem(id, reply.bytes());
                        return new ProbeResult(problem.isEmpty(), what + ": " + problem.orElse("answered RCODE 0"),
                                rcode, OptionalInt.empty(), took, OptionalInt.empty());
                    }
                    String why = outcome instanceof UdpExchange.Outcome.Unreachable ? "ICMP port unreachable"
                            : outcome instanceof UdpExchange.Outcome.Error error ? error.message()
                            : "no answer within " + target.timeoutMillis() + " ms";
                    return ProbeResult.failure(what + ": " + why, took);
                });
    }
}
