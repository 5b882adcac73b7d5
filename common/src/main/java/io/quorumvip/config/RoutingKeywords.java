package io.quorumvip.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads route and rule lines ({@code virtual_routes}, {@code static_routes}, {@code virtual_rules},
 * {@code static_rules}). A line with an option we do not implement is left out with a "not supported yet" warning:
 * half a route is worse than none.
 */
final class RoutingKeywords {

    private static final Set<String> ROUTE_TYPES = Set.of("blackhole", "unreachable", "prohibit");
    private static final Set<String> ROUTE_OPTIONS = Set.of("via", "gw", "src", "dev", "oif", "scope", "table",
            "metric", "preference", "priority");
    /** rtnetlink's scope numbers (linux/rtnetlink.h). */
    private static final Map<String, Integer> SCOPES = Map.of("global", 0, "universe", 0, "site", 200, "link", 253,
            "host", 254);
    private static final int MAX_TABLE = Integer.MAX_VALUE;

    private RoutingKeywords() {
    }

    static void routes(Statement s, List<RouteSpec> into, Diagnostics d) {
        Values.block(s, 0, s.name() + " { 198.51.100.0/24 via 192.0.2.1 dev eth0 }", d).ifPresent(block ->
                block.statements().forEach(entry -> route(entry, d).ifPresent(into::add)));
    }

    static void rules(Statement s, List<RuleSpec> into, Diagnostics d) {
        Values.block(s, 0, s.name() + " { from 192.0.2.200 table 100 priority 100 }", d).ifPresent(block ->
                block.statements().forEach(entry -> rule(entry, d).ifPresent(into::add)));
    }

    private static Optional<RouteSpec> route(Statement entry, Diagnostics d) {
        if (!Values.noBlock(entry, d)) {
            return Optional.empty();
        }
        List<Token> words = entry.allWords();
        Route route = new Route();
        int i = 0;
        if (ROUTE_TYPES.contains(words.get(0).text())) {
            route.type = words.get(0).text();
            i = 1;
        }
        for (; i < words.size(); i++) {
            String option = words.get(i).text();
            if (!ROUTE_OPTIONS.contains(option)) {
                // keepalived takes the destination wherever it comes (`src 192.0.2.1 198.51.100.0/24 via ...`).
                if (route.destination != null) {
                    notSupported(words.get(i), "route", entry, d);
                    return Optional.empty();
                }
                Optional<IpPrefix> destination = prefix(words.get(i), "route", entry, d);
                if (destination.isEmpty()) {
                    return Optional.empty();
                }
                route.destination = destination.get();
                continue;
            }
            if (i + 1 >= words.size()) {
                d.error(words.get(i).position(), "`" + option + "` needs a value in route `" + entry.text() + "`",
                        "write e.g. `via 192.0.2.1`");
                return Optional.empty();
            }
            Token value = words.get(++i);
            boolean ok = switch (option) {
                case "via", "gw" -> address(option, value, d, a -> route.via = a);
                case "src" -> address(option, value, d, a -> route.source = a);
                case "dev", "oif" -> {
                    route.device = value.text();
                    yield true;
                }
                case "scope" -> scope(value, d, n -> route.scope = n);
                case "table" -> number(option, value, d, n -> route.table = n);
                default -> number(option, value, d, n -> route.metric = n);
            };
            if (!ok) {
                return Optional.empty();
            }
        }
        if (route.destination == null) {
            d.error(entry.position(), "route `" + entry.text() + "` has no destination", "write e.g. `"
                    + route.type + " 198.51.100.0/24`");
            return Optional.empty();
        }
        if (route.type.equals("unicast") && route.via == null && route.device == null) {
            d.error(entry.position(), "route `" + entry.text() + "` has neither `via` nor `dev`",
                    "add `via GATEWAY` or `dev IF`");
            return Optional.empty();
        }
        return Optional.of(new RouteSpec(route.type, route.destination, Optional.ofNullable(route.via),
                Optional.ofNullable(route.device), Optional.ofNullable(route.source), optional(route.scope),
                optional(route.table), optional(route.metric), entry.text(), entry.position()));
    }

    /** {@code scope global|site|link|host} or a number, as ip route writes it. */
    private static boolean scope(Token value, Diagnostics d, Consumer<Integer> into) {
        Integer scope = SCOPES.get(value.text());
        if (scope != null) {
            into.accept(scope);
            return true;
        }
        OptionalInt number = Values.integer("scope", value, 0, 255, d);
        number.ifPresent(into::accept);
        return number.isPresent();
    }

    private static Optional<RuleSpec> rule(Statement entry, Diagnostics d) {
        if (!Values.noBlock(entry, d)) {
            return Optional.empty();
        }
        List<Token> words = entry.allWords();
        Rule rule = new Rule();
        int i = 0;
        if (words.get(0).text().equals("inet6")) {
            rule.ipv6 = true;
            i = 1;
        }
        for (; i < words.size(); i += 2) {
            String option = words.get(i).text();
            if (i + 1 >= words.size()) {
                d.error(words.get(i).position(), "`" + option + "` needs a value in rule `" + entry.text() + "`",
                        "write e.g. `from 192.0.2.200 table 100`");
                return Optional.empty();
            }
            Token value = words.get(i + 1);
            boolean ok = switch (option) {
                case "from" -> prefixInto(value, entry, d, p -> rule.from = p);
                case "to" -> prefixInto(value, entry, d, p -> rule.to = p);
                case "table", "lookup" -> number(option, value, d, n -> rule.table = n);
                case "priority", "preference", "pref" -> number(option, value, d, n -> rule.priority = n);
                default -> {
                    yield notSupported(words.get(i), "rule", entry, d);
                }
            };
            if (!ok) {
                return Optional.empty();
            }
        }
        boolean ipv6 = rule.ipv6 || rule.from != null && rule.from.ipv6() || rule.to != null && rule.to.ipv6();
        if (rule.from != null && rule.to != null && rule.from.ipv6() != rule.to.ipv6()) {
            d.error(entry.position(), "rule `" + entry.text() + "` mixes IPv4 and IPv6", "use one family per rule");
            return Optional.empty();
        }
        if (rule.table == null) {
            d.error(entry.position(), "rule `" + entry.text() + "` has no table", "add `table N`");
            return Optional.empty();
        }
        return Optional.of(new RuleSpec(ipv6, Optional.ofNullable(rule.from), Optional.ofNullable(rule.to),
                optional(rule.table), optional(rule.priority), entry.text(), entry.position()));
    }

    /** An option we do not implement: the whole line is left out, since half a route is worse than none. */
    private static boolean notSupported(Token option, String what, Statement entry, Diagnostics d) {
        d.warning(option.position(), "not supported yet: `" + option.text() + "` in " + what + " `" + entry.text()
                + "`; the " + what + " is left out", "write it without `" + option.text() + "`, or add it another way");
        return false;
    }

    private static boolean prefixInto(Token value, Statement entry, Diagnostics d, Consumer<IpPrefix> into) {
        Optional<IpPrefix> prefix = prefix(value, "rule", entry, d);
        prefix.ifPresent(into);
        return prefix.isPresent();
    }

    /**
     * {@code ADDR[/LEN]}, or {@code default} / {@code all} (0.0.0.0/0). keepalived skips a line whose address it
     * cannot read (its own sample has {@code 192.168.100./24}): a WARNING, and the line is left out.
     */
    private static Optional<IpPrefix> prefix(Token token, String what, Statement entry, Diagnostics d) {
        String text = token.text();
        if (text.equals("default") || text.equals("all")) {
            return IpAddresses.parse("0.0.0.0").map(a -> new IpPrefix(a, 0));
        }
        int slash = text.indexOf('/');
        Optional<InetAddress> address = IpAddresses.parse(slash < 0 ? text : text.substring(0, slash));
        if (address.isEmpty()) {
            d.warning(token.position(), "`" + text + "` is not an address or prefix; " + what + " `" + entry.text()
                    + "` is left out, as keepalived does", "write e.g. `198.51.100.0/24`");
            return Optional.empty();
        }
        int max = IpAddresses.isIpv6(address.get()) ? 128 : 32;
        if (slash < 0) {
            return Optional.of(new IpPrefix(address.get(), max));
        }
        String length = text.substring(slash + 1);
        if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > max) {
            d.error(token.position(), "prefix length `" + length + "` of " + text + " is not 0.." + max,
                    "write e.g. `198.51.100.0/24`");
            return Optional.empty();
        }
        return Optional.of(new IpPrefix(address.get(), Integer.parseInt(length)));
    }

    private static boolean address(String option, Token value, Diagnostics d, Consumer<InetAddress> into) {
        Optional<InetAddress> address = Values.address(option, value, d);
        address.ifPresent(into);
        return address.isPresent();
    }

    private static boolean number(String option, Token value, Diagnostics d, Consumer<Integer> into) {
        OptionalInt number = Values.integer(option, value, 0, MAX_TABLE, d);
        number.ifPresent(into::accept);
        return number.isPresent();
    }

    private static OptionalInt optional(Integer value) {
        return value == null ? OptionalInt.empty() : OptionalInt.of(value);
    }

    private static final class Route {
        InetAddress via;
        InetAddress source;
        String device;
        String type = "unicast";
        IpPrefix destination;
        Integer scope;
        Integer table;
        Integer metric;
    }

    private static final class Rule {
        boolean ipv6;
        IpPrefix from;
        IpPrefix to;
        Integer table;
        Integer priority;
    }
}
