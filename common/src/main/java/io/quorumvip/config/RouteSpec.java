package io.quorumvip.config;

import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A {@code virtual_routes} / {@code static_routes} line: {@code [blackhole|unreachable|prohibit] DEST[/LEN]
 * [src ADDR] [via|gw ADDR] [dev IF] [scope S] [table N] [metric|preference N]}, keepalived's (and ip route's)
 * syntax.
 *
 * @param type    unicast, blackhole, unreachable or prohibit
 * @param scope   rtnetlink's scope number, when written
 * @param text    the line as written, for logs and errors
 */
public record RouteSpec(String type, IpPrefix destination, Optional<InetAddress> via, Optional<String> device,
                        Optional<InetAddress> source, OptionalInt scope, OptionalInt table, OptionalInt metric, String text,
                        SourcePosition position) {
}
