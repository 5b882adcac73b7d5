package io.quorumvip.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** Handlers for {@code virtual_server} (its header and its block) and {@code virtual_server_group}. */
final class VirtualServerKeywords {

    /** keepalived's persistence timeout ceiling (IPVS: 31 days, in seconds). */
    static final int MAX_PERSISTENCE_SECONDS = 2_678_400;
    static final long MAX_FWMARK = 0xFFFF_FFFFL;

    /** Scheduler flags and IPVS options that mean nothing on nftables (or that we always do). */
    static final Set<String> NOT_SUPPORTED = Set.of("flag-1", "flag-2", "flag-3", "ops", "persistence_engine",
            "snmp_name", "ip_family", "sorry_server_lvs_method");

    static final KeywordTable<LbDrafts.VirtualServer> TABLE = LbTimingKeywords.addServerDefaults(
                    KeywordTable.<LbDrafts.VirtualServer>forBlock("virtual_server"), v -> v.timing)
            .keyword("lb_algo", VirtualServerKeywords::scheduler)
            .keyword("lvs_sched", VirtualServerKeywords::scheduler)
            .keyword("lb_kind", (s, v, d) -> method(s, d).ifPresent(x -> v.method = x))
            .keyword("lvs_method", (s, v, d) -> method(s, d).ifPresent(x -> v.method = x))
            .keyword("protocol", VirtualServerKeywords::protocol)
            .keyword("persistence_timeout", VirtualServerKeywords::persistenceTimeout)
            .keyword("persistence_granularity", VirtualServerKeywords::granularity)
            .keyword("quorum", (s, v, d) -> Values.integer(s, 1, Integer.MAX_VALUE, d).ifPresent(x -> v.quorum = x))
            .keyword("hysteresis", (s, v, d) -> Values.integer(s, 0, Integer.MAX_VALUE, d).ifPresent(x -> {
                v.hysteresis = x;
                v.hysteresisPosition = s.position();
            }))
            .keyword("quorum_up", (s, v, d) -> notify(s, d).ifPresent(x -> v.quorumUp = x))
            .keyword("quorum_down", (s, v, d) -> notify(s, d).ifPresent(x -> v.quorumDown = x))
            .keyword("ha_suspend", (s, v, d) -> Values.optionalBoolean(s, d).ifPresent(x -> v.haSuspend = x))
            .keyword("omega", (s, v, d) -> Values.optionalBoolean(s, d).ifPresent(x -> v.omega = x))
            .keyword("smtp_alert", (s, v, d) -> Values.optionalBoolean(s, d).ifPresent(x -> v.smtpAlert = x))
            .keyword("sh-port", (s, v, d) -> flag(s, d, () -> v.hashPort = true))
            .keyword("mh-port", (s, v, d) -> flag(s, d, () -> v.hashPort = true))
            .keyword("sh-fallback", VirtualServerKeywords::fallback)
            .keyword("mh-fallback", VirtualServerKeywords::fallback)
            .keyword("sorry_server", VirtualServerKeywords::sorryServer)
            .keyword("sorry_server_inhibit", (s, v, d) -> Values.optionalBoolean(s, d)
                    .ifPresent(x -> v.sorryInhibit = x))
            .keyword("expire_nodest_conn", VirtualServerKeywords::expireNodestConn)
            .repeatable("real_server", RealServerKeywords::realServer)
            .notSupported(NOT_SUPPORTED)
            .validElsewhere(KeepalivedKeywords.TOP_LEVEL_SUPPORTED)
            .build();

    private VirtualServerKeywords() {
    }

    /** The top-level {@code virtual_server IP [PORT] | fwmark N | group NAME { ... }}. */
    static void virtualServer(Statement s, Drafts.Config c, Diagnostics d) {
        String usage = "virtual_server IP PORT { ... }, virtual_server fwmark N { ... } or virtual_server group NAME"
                + " { ... }";
        Optional<Statement.Block> block = s.block();
        if (block.isEmpty()) {
            d.error(s.position(), "`virtual_server` needs a block", "write `" + usage + "`");
            return;
        }
        service(s, usage, d).ifPresent(service -> {
            LbDrafts.VirtualServer vs = new LbDrafts.VirtualServer(service, s.position());
            TABLE.dispatch(block.get().statements(), vs, d);
            c.loadBalancing.virtualServers.add(vs);
        });
    }

    private static Optional<VirtualService> service(Statement s, String usage, Diagnostics d) {
        List<Token> args = s.arguments();
        if (args.isEmpty() || args.size() > 2) {
            d.error(s.position(), "`virtual_server` takes an address and port, `fwmark N` or `group NAME`, got `"
                    + s.text() + "`", "write `" + usage + "`");
            return Optional.empty();
        }
        String first = args.get(0).text();
        if (first.equals("fwmark") || first.equals("group")) {
            if (args.size() != 2) {
                d.error(s.position(), "`virtual_server " + first + "` needs a " + (first.equals("fwmark") ? "mark"
                        : "group name"), "write `" + usage + "`");
                return Optional.empty();
            }
            return first.equals("group") ? Optional.of(new VirtualService.Group(args.get(1).text()))
                    : fwmark(args.get(1), d).map(m -> m);
        }
        Optional<InetAddress> address = Values.address("virtual_server", args.get(0), d);
        if (address.isEmpty()) {
            return Optional.empty();
        }
        OptionalInt port = args.size() == 2 ? LbTimingKeywords.port("virtual_server", args.get(1), 1, d)
                : OptionalInt.of(0);
        return port.isPresent() ? Optional.of(new VirtualService.Endpoint(address.get(), port.getAsInt()))
                : Optional.empty();
    }

    static Optional<VirtualService.Fwmark> fwmark(Token value, Diagnostics d) {
        String text = value.text();
        if (!text.matches("\\d{1,10}") || Long.parseLong(text) < 1 || Long.parseLong(text) > MAX_FWMARK) {
            d.error(value.position(), "fwmark " + text + " is out of range (expected 1.." + MAX_FWMARK + ")",
                    "use the mark your own nftables/iptables rules set, as a decimal number");
            return Optional.empty();
        }
        return Optional.of(new VirtualService.Fwmark(Long.parseLong(text)));
    }

    private static void scheduler(Statement s, LbDrafts.VirtualServer v, Diagnostics d) {
        Values.word(s, s.name() + " rr|wrr|sh|dh|mh|...", d).ifPresent(name -> {
            Optional<LbScheduler> scheduler = LbScheduler.byName(name);
            if (scheduler.isEmpty()) {
                d.error(s.arguments().get(0).position(), s.name() + " " + name + " is not a scheduler (expected rr, "
                        + "wrr, lc, wlc, lblc, lblcr, sh, dh, mh, fo, ovf, sed, nq or twos)", "`rr` is the usual one");
                return;
            }
            v.scheduler = scheduler.get();
            v.schedulerPosition = s.arguments().get(0).position();
        });
    }

    static Optional<ForwardingMethod> method(Statement s, Diagnostics d) {
        if (!Values.arguments(s, 1, Integer.MAX_VALUE, s.name() + " NAT|DR", d)) {
            return Optional.empty();
        }
        Token value = s.arguments().get(0);
        String word = value.text().toUpperCase(Locale.ROOT);
        if (word.equals("TUN")) {
            d.error(value.position(), s.name() + " TUN is not available: the kernel of these machines has no ipip "
                    + "(or gue/gre) tunnel module to carry it", "use `" + s.name() + " DR` (real servers on the "
                    + "directors' network, the VIP on their lo) or `" + s.name() + " NAT`");
            return Optional.empty();
        }
        if (s.arguments().size() > 1) {
            d.error(s.arguments().get(1).position(), "unexpected `" + s.arguments().get(1).text() + "` after "
                    + s.name() + " " + value.text(), "only TUN takes options; write `" + s.name() + " NAT|DR`");
            return Optional.empty();
        }
        try {
            return Optional.of(ForwardingMethod.valueOf(word));
        } catch (IllegalArgumentException e) {
            d.error(value.position(), s.name() + " " + value.text() + " is not a forwarding method (expected NAT or "
                    + "DR)", "write `" + s.name() + " DR` or `" + s.name() + " NAT`");
            return Optional.empty();
        }
    }

    private static void protocol(Statement s, LbDrafts.VirtualServer v, Diagnostics d) {
        Values.word(s, "protocol TCP|UDP|SCTP", d).ifPresent(word -> {
            try {
                v.protocol = L4Protocol.valueOf(word.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                d.error(s.arguments().get(0).position(), "protocol " + word + " is not a protocol (expected TCP, UDP"
                        + " or SCTP)", "write `protocol TCP`");
            }
        });
    }

    private static void persistenceTimeout(Statement s, LbDrafts.VirtualServer v, Diagnostics d) {
        if (!Values.arguments(s, 0, 1, "persistence_timeout [0.." + MAX_PERSISTENCE_SECONDS + "]", d)) {
            return;
        }
        v.persistencePosition = s.position();
        if (s.arguments().isEmpty()) {
            v.persistenceTimeout = Persistence.DEFAULT_TIMEOUT;
            return;
        }
        Values.integer(s.name(), s.arguments().get(0), 0, MAX_PERSISTENCE_SECONDS, d)
                .ifPresent(x -> v.persistenceTimeout = Duration.ofSeconds(x));
    }

    /** A netmask (IPv4 dotted, contiguous) or a prefix length. */
    private static void granularity(Statement s, LbDrafts.VirtualServer v, Diagnostics d) {
        Values.word(s, "persistence_granularity NETMASK", d).ifPresent(text -> {
            Token value = s.arguments().get(0);
            OptionalInt prefix = prefixLength(text);
            if (prefix.isEmpty()) {
                d.error(value.position(), "persistence_granularity " + text + " is not a netmask (expected a "
                        + "contiguous mask like 255.255.255.0, or a prefix length 1..128)",
                        "`255.255.255.255` (the default) keeps each client address apart");
                return;
            }
            v.granularityPrefix = prefix.getAsInt();
            v.granularityPosition = value.position();
        });
    }

    static OptionalInt prefixLength(String text) {
        if (text.matches("\\d{1,3}")) {
            int n = Integer.parseInt(text);
            return n >= 1 && n <= 128 ? OptionalInt.of(n) : OptionalInt.empty();
        }
        Optional<InetAddress> mask = IpAddresses.parse(text);
        if (mask.isEmpty()) {
            return OptionalInt.empty();
        }
        byte[] bytes = mask.get().getAddress();
        int ones = 0;
        boolean zeroSeen = false;
        for (byte b : bytes) {
            for (int bit = 7; bit >= 0; bit--) {
                boolean one = (b >> bit & 1) == 1;
                if (one && zeroSeen) {
                    return OptionalInt.empty();
                }
                zeroSeen |= !one;
                ones += one ? 1 : 0;
            }
        }
        return ones == 0 ? OptionalInt.empty() : OptionalInt.of(ones);
    }

    private static void flag(Statement s, Diagnostics d, Runnable set) {
        if (Values.arguments(s, 0, 0, s.name(), d)) {
            set.run();
        }
    }

    /**
     * Ours, so a word after it is an error rather than ignored: {@code expire_nodest_conn 0} must not switch it on
     * (the IPVS sysctl it is named after takes 0 or 1).
     */
    private static void expireNodestConn(Statement s, LbDrafts.VirtualServer v, Diagnostics d) {
        if (Values.exactArguments(s, 0, 0, "expire_nodest_conn", d)) {
            v.expireNodestConnPosition = s.position();
        }
    }

    /** What these flags ask (pick another server when the hashed one is down) is what our pool always does. */
    private static void fallback(Statement s, LbDrafts.VirtualServer v, Diagnostics d) {
        Values.arguments(s, 0, 0, s.name(), d);
    }

    private static void sorryServer(Statement s, LbDrafts.VirtualServer v, Diagnostics d) {
        if (!Values.arguments(s, 1, 2, "sorry_server IP [PORT]", d)) {
            return;
        }
        Optional<InetAddress> address = Values.address("sorry_server", s.arguments().get(0), d);
        OptionalInt port = s.arguments().size() == 2 ? LbTimingKeywords.port("sorry_server", s.arguments().get(1),
                0, d) : OptionalInt.of(-1);
        if (address.isPresent() && port.isPresent()) {
            v.sorryServer = new LbDrafts.RealServer(address.get(), port.getAsInt() < 0 ? null : port.getAsInt(),
                    s.position());
        }
    }

    static Optional<NotifyScript> notify(Statement s, Diagnostics d) {
        if (!Values.arguments(s, 1, 3, s.name() + " \"/path/script ARGS\" [USER [GROUP]]", d)) {
            return Optional.empty();
        }
        List<String> words = s.argumentTexts();
        return Optional.of(new NotifyScript(words.get(0), words.size() > 1
                ? Optional.of(String.join(" ", words.subList(1, words.size()))) : Optional.empty()));
    }

    /** The top-level {@code virtual_server_group NAME { IP[-RANGE|/LEN] [PORT] ... fwmark N ... }}. */
    static void virtualServerGroup(Statement s, Drafts.Config c, Diagnostics d) {
        Values.block(s, 1, "virtual_server_group NAME { 192.0.2.210 80 }", d).ifPresent(block -> {
            if (s.arguments().size() != 1) {
                return;
            }
            LbDrafts.Group group = new LbDrafts.Group(s.arguments().get(0).text(), s.position());
            for (Statement line : block.statements()) {
                groupLine(line, group, d);
            }
            c.loadBalancing.groups.add(group);
        });
    }

    private static void groupLine(Statement line, LbDrafts.Group group, Diagnostics d) {
        if (!Values.noBlock(line, d)) {
            return;
        }
        List<Token> args = line.arguments();
        if (line.name().equals("fwmark")) {
            if (args.isEmpty() || args.size() > 2) {
                d.error(line.position(), "`fwmark` in virtual_server_group takes a mark and optionally inet|inet6",
                        "write `fwmark 1`");
                return;
            }
            fwmark(args.get(0), d).ifPresent(group.fwmarks::add);
            return;
        }
        if (args.size() > 1) {
            d.error(args.get(1).position(), "unexpected `" + args.get(1).text() + "` in virtual_server_group `"
                    + group.name + "`", "write one `ADDRESS[-LAST|/LEN] [PORT]` per line");
            return;
        }
        OptionalInt port = args.isEmpty() ? OptionalInt.of(0)
                : LbTimingKeywords.port("virtual_server_group", args.get(0), 1, d);
        if (port.isEmpty()) {
            return;
        }
        AddressRanges.expand(line.keyword(), VirtualServerGroupConfig.MAX_ADDRESSES, d)
                .forEach(a -> group.endpoints.add(new VirtualService.Endpoint(a, port.getAsInt())));
    }
}
