package io.quorumvip.agent.lb;

import io.quorumvip.agent.net.IcmpEchoSocket;
import io.quorumvip.config.CheckKind;
import io.quorumvip.config.CheckerConfig;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The probers for SMTP_CHECK, DNS_CHECK, UDP_CHECK and PING_CHECK, and what they share: the one raw ICMP socket
 * every PING_CHECK uses, opened on the first and closed with the load balancer.
 */
final class CheckerProbers implements AutoCloseable {

    private final Vertx vertx;
    private IcmpEchoSocket ping;

    CheckerProbers(Vertx vertx) {
        this.vertx = vertx;
    }

    /** The prober for {@code checker}, or empty when its kind is not one of these. */
    Optional<Prober> create(CheckerConfig checker) {
        CheckKind kind = checker.kind();
        if (kind instanceof CheckKind.Smtp) {
            return Optional.of(new SmtpProber(vertx, checker));
        }
        if (kind instanceof CheckKind.Dns) {
            return Optional.of(new DnsProber(vertx, checker));
        }
        if (kind instanceof CheckKind.Udp) {
            return Optional.of(new UdpProber(vertx, checker));
        }
        if (kind instanceof CheckKind.Ping) {
            return Optional.of(new PingProber(vertx, checker, pingSocket()));
        }
        return Optional.empty();
    }

    private IcmpEchoSocket pingSocket() {
        if (ping == null) {
            try {
                ping = new IcmpEchoSocket();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return ping;
    }

    @Override
    public void close() {
        if (ping != null) {
            ping.close();
        }
    }
}
