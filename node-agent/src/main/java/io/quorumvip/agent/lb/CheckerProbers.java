package io.quorumvip.agent.lb;

import io.quorumvip.agent.net.IcmpEchoSocket;
import io.quorumvip.config.CheckKind;
import io.quorumvip.config.CheckerConfig;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.util.Optional;

/**
 * The probers for SMTP_CHECK, DNS_CHECK, UDP_CHECK and PING_CHECK, and what they share: the raw ICMP socket every
 * PING_CHECK of an IPv4 real server uses and the raw ICMPv6 one of IPv6 real servers, each opened on the first
 * PING_CHECK that needs it and closed with the load balancer.
 */
final class CheckerProbers implements AutoCloseable {

    private final Vertx vertx;
    private IcmpEchoSocket ping;
    private IcmpEchoSocket ping6;

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
            return Optional.of(new PingProber(vertx, checker,
                    pingSocket(checker.target().address() instanceof Inet6Address)));
        }
        return Optional.empty();
    }

    private IcmpEchoSocket pingSocket(boolean ipv6) {
        try {
            if (ipv6) {
                if (ping6 == null) {
                    ping6 = IcmpEchoSocket.ipv6();
                }
                return ping6;
            }
            if (ping == null) {
                ping = IcmpEchoSocket.ipv4();
            }
            return ping;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (ping != null) {
            ping.close();
        }
        if (ping6 != null) {
            ping6.close();
        }
    }
}
