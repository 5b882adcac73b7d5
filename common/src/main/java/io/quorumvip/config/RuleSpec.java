package io.quorumvip.config;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A {@code virtual_rules} / {@code static_rules} line: {@code [from PREFIX] [to PREFIX] [table N]
 * [priority|preference|pref N]}, keepalived's (and ip rule's) syntax; the family is that of its prefixes (IPv4
 * without any, or with {@code inet6}).
 */
public record RuleSpec(boolean ipv6, Optional<IpPrefix> from, Optional<IpPrefix> to, OptionalInt table,
                       OptionalInt priority, String text, SourcePosition position) {
}
