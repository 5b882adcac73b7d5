package io.quorumvip.agent.net;

import io.quorumvip.config.IpPrefix;
import io.quorumvip.config.RouteSpec;
import io.quorumvip.config.RuleSpec;
import java.net.Inet6Address;
import java.util.Map;

/**
 * Builds RTM_NEWROUTE / RTM_DELROUTE (struct rtmsg) and RTM_NEWRULE / RTM_DELRULE (struct fib_rule_hdr) requests for
 * keepalived's virtual and static routes and rules. Pure: a spec and an interface index in, bytes out.
 */
final class RtNetlinkRouteMessages {

    static final int RTM_NEWROUTE = 24;
    static final int RTM_DELROUTE = 25;
    static final int RTM_NEWRULE = 32;
    static final int RTM_DELRULE = 33;

    static final int RTA_DST = 1;
    static final int RTA_OIF = 4;
    static final int RTA_GATEWAY = 5;
    static final int RTA_PRIORITY = 6;
    static final int RTA_PREFSRC = 7;
    static final int RTA_TABLE = 15;

    static final int FRA_DST = 1;
    static final int FRA_SRC = 2;
    static final int FRA_PRIORITY = 6;
    static final int FRA_TABLE = 15;

    static final int RT_TABLE_MAIN = 254;
    /** RTPROT_STATIC: "installed by the administrator", as {@code ip route} shows {@code proto static}. */
    static final int RTPROT_STATIC = 4;
    static final int RT_SCOPE_LINK = 253;
    static final int RTN_UNICAST = 1;
    static final int FR_ACT_TO_TBL = 1;
    private static final Map<String, Integer> ROUTE_TYPES = Map.of("unicast", RTN_UNICAST, "blackhole", 6,
            "unreachable", 7, "prohibit", 8);

    private RtNetlinkRouteMessages() {
    }

    /**
     * The route as {@code ip route add} builds it: scope link for a unicast route with a device and no gateway,
     * else universe (unless written); the table both in the header (when it fits a byte) and as RTA_TABLE.
     *
     * @param ifindex the index of the route's {@code dev}, or 0 when it has none
     */
    static byte[] route(int type, int flags, int sequence, RouteSpec route, int ifindex) {
        int table = route.table().orElse(RT_TABLE_MAIN);
        int routeType = ROUTE_TYPES.get(route.type());
        boolean onLink = routeType == RTN_UNICAST && route.via().isEmpty() && ifindex != 0;
        int scope = route.scope().orElse(onLink ? RT_SCOPE_LINK : Netlink.RT_SCOPE_UNIVERSE);
        IpPrefix destination = route.destination();
        NetlinkMessageBuilder message = new NetlinkMessageBuilder(type, flags, sequence)
                .u8(family(destination)).u8(destination.length()).u8(0).u8(0)
                .u8(table < 256 ? table : 0).u8(RTPROT_STATIC).u8(scope).u8(routeType).u32(0);
        if (destination.length() > 0) {
            message.attribute(RTA_DST, destination.address().getAddress());
        }
        route.via().ifPresent(via -> message.attribute(RTA_GATEWAY, via.getAddress()));
        route.source().ifPresent(source -> message.attribute(RTA_PREFSRC, source.getAddress()));
        if (ifindex != 0) {
            message.attributeU32s(RTA_OIF, ifindex);
        }
        route.metric().ifPresent(metric -> message.attributeU32s(RTA_PRIORITY, metric));
        return message.attributeU32s(RTA_TABLE, table).build();
    }

    /** The rule as {@code ip rule add}: action "to table", from/to prefixes, priority and table as attributes. */
    static byte[] rule(int type, int flags, int sequence, RuleSpec rule) {
        int table = rule.table().orElse(RT_TABLE_MAIN);
        NetlinkMessageBuilder message = new NetlinkMessageBuilder(type, flags, sequence)
                .u8(rule.ipv6() ? LibC.AF_INET6 : LibC.AF_INET)
                .u8(rule.to().map(IpPrefix::length).orElse(0)).u8(rule.from().map(IpPrefix::length).orElse(0))
                .u8(0).u8(table < 256 ? table : 0).u8(0).u8(0).u8(FR_ACT_TO_TBL).u32(0);
        rule.to().ifPresent(to -> message.attribute(FRA_DST, to.address().getAddress()));
        rule.from().ifPresent(from -> message.attribute(FRA_SRC, from.address().getAddress()));
        rule.priority().ifPresent(priority -> message.attributeU32s(FRA_PRIORITY, priority));
        return message.attributeU32s(FRA_TABLE, table).build();
    }

    private static int family(IpPrefix prefix) {
        return prefix.address() instanceof Inet6Address ? LibC.AF_INET6 : LibC.AF_INET;
    }
}
