package io.quorumvip.config;

import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** Handlers for a {@code real_server} block and the checker blocks it holds. */
final class RealServerKeywords {

    static final Set<String> NOT_SUPPORTED = Set.of("uthreshold", "lthreshold", "snmp_name");

    static final KeywordTable<LbDrafts.RealServer> TABLE = LbTimingKeywords.addServerDefaults(
                    KeywordTable.<LbDrafts.RealServer>forBlock("real_server"), r -> r.timing)
            .keyword("weight", (s, r, d) -> Values.integer(s, 0, RealServerConfig.MAX_WEIGHT, d)
                    .ifPresent(x -> r.weight = x))
            .keyword("lb_kind", RealServerKeywords::method)
            .keyword("lvs_method", RealServerKeywords::method)
            .keyword("notify_up", (s, r, d) -> VirtualServerKeywords.notify(s, d).ifPresent(x -> r.notifyUp = x))
            .keyword("notify_down", (s, r, d) -> VirtualServerKeywords.notify(s, d)
                    .ifPresent(x -> r.notifyDown = x))
            .keyword("smtp_alert", (s, r, d) -> Values.optionalBoolean(s, d).ifPresent(x -> r.smtpAlert = x))
            .repeatable("TCP_CHECK", CheckerKeywords::checker)
            .repeatable("HTTP_GET", CheckerKeywords::checker)
            .repeatable("SSL_GET", CheckerKeywords::checker)
            .repeatable("MISC_CHECK", CheckerKeywords::checker)
            .repeatable("SMTP_CHECK", CheckerKeywords::checker)
            .repeatable("DNS_CHECK", CheckerKeywords::checker)
            .repeatable("UDP_CHECK", CheckerKeywords::checker)
            .repeatable("PING_CHECK", CheckerKeywords::checker)
            .repeatable("FILE_CHECK", CheckerKeywords::checker)
            .repeatable("AGENT_CHECK", CheckerKeywords::checker)
            .repeatable("BFD_CHECK", RealServerKeywords::bfdCheck)
            .notSupported(NOT_SUPPORTED)
            .validElsewhere(Set.of("real_server", "lb_algo", "lvs_sched", "protocol", "persistence_timeout",
                    "sorry_server", "quorum", "virtual_server"))
            .build();

    private RealServerKeywords() {
    }

    static void realServer(Statement s, LbDrafts.VirtualServer v, Diagnostics d) {
        String usage = "real_server IP [PORT] { weight 1 TCP_CHECK { } }";
        if (s.arguments().isEmpty() || s.arguments().size() > 2) {
            d.error(s.position(), "`real_server` takes an address and optionally a port, got `" + s.text() + "`",
                    "write `" + usage + "`");
            return;
        }
        Optional<InetAddress> address = Values.address("real_server", s.arguments().get(0), d);
        OptionalInt port = s.arguments().size() == 2
                ? LbTimingKeywords.port("real_server", s.arguments().get(1), 0, d) : OptionalInt.of(-1);
        if (address.isEmpty() || port.isEmpty()) {
            return;
        }
        LbDrafts.RealServer real = new LbDrafts.RealServer(address.get(),
                port.getAsInt() < 0 ? null : port.getAsInt(), s.position());
        s.block().ifPresent(block -> TABLE.dispatch(block.statements(), real, d));
        v.realServers.add(real);
    }

    private static void method(Statement s, LbDrafts.RealServer r, Diagnostics d) {
        VirtualServerKeywords.method(s, d).ifPresent(x -> {
            r.method = x;
            r.methodPosition = s.position();
        });
    }

    private static void bfdCheck(Statement s, LbDrafts.RealServer r, Diagnostics d) {
        d.error(s.position(), "BFD_CHECK is not available: quorum-vip runs no BFD sessions",
                "use PING_CHECK (ICMP echo) or TCP_CHECK with a short delay_loop to follow the real server");
    }
}
