package io.quorumvip.agent.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.config.IpPrefix;
import io.quorumvip.config.RouteSpec;
import io.quorumvip.config.RuleSpec;
import io.quorumvip.config.SourcePosition;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RtNetlinkRouteMessagesTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final SourcePosition AT = new SourcePosition(Path.of("k.conf"), 1, 1);

    @BeforeAll
    static void littleEndianHost() {
        Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN,
                "the expected bytes are written for little-endian hosts (x86_64, aarch64)");
    }

    @Test
    void shouldBuildAGatewayRouteInATableWithMetric() throws Exception {
        RouteSpec route = new RouteSpec("unicast", prefix("198.51.100.0", 24),
                Optional.of(InetAddress.getByName("192.0.2.1")), Optional.of("eth0"), Optional.empty(),
                OptionalInt.empty(), OptionalInt.of(100), OptionalInt.of(5), "r", AT);

        byte[] message = RtNetlinkRouteMessages.route(RtNetlinkRouteMessages.RTM_NEWROUTE,
                RtNetlinkMessages.ADD_FLAGS, 7, route, 3);

        assertThat(HEX.formatHex(message)).isEqualTo(
                "44000000" + "1800" + "0506" + "07000000" + "00000000" // nlmsghdr: RTM_NEWROUTE, REQUEST|ACK|EXCL|CREATE
                        + "02180000" + "64040001" + "00000000"          // rtmsg: AF_INET /24, table 100, static, universe, unicast
                        + "08000100" + "c6336400"                       // RTA_DST 198.51.100.0
                        + "08000500" + "c0000201"                       // RTA_GATEWAY 192.0.2.1
                        + "08000400" + "03000000"                       // RTA_OIF 3
                        + "08000600" + "05000000"                       // RTA_PRIORITY 5
                        + "08000f00" + "64000000");                     // RTA_TABLE 100
    }

    @Test
    void shouldDeleteABlackholeRouteInATableBeyond255OnlyThroughTheAttribute() throws Exception {
        RouteSpec route = new RouteSpec("blackhole", prefix("198.51.100.128", 25), Optional.empty(),
                Optional.empty(), Optional.empty(), OptionalInt.empty(), OptionalInt.of(1000), OptionalInt.empty(),
                "r", AT);

        byte[] message = RtNetlinkRouteMessages.route(RtNetlinkRouteMessages.RTM_DELROUTE,
                Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, 8, route, 0);

        assertThat(HEX.formatHex(message)).isEqualTo(
                "2c000000" + "1900" + "0500" + "08000000" + "00000000" // nlmsghdr: RTM_DELROUTE, REQUEST|ACK
                        + "02190000" + "00040006" + "00000000"          // rtmsg: /25, table in attribute, blackhole
                        + "08000100" + "c6336480"                       // RTA_DST 198.51.100.128
                        + "08000f00" + "e8030000");                     // RTA_TABLE 1000
    }

    @Test
    void shouldBuildARuleFromAnAddressToATableWithPriority() throws Exception {
        RuleSpec rule = new RuleSpec(false, Optional.of(prefix("192.0.2.200", 32)), Optional.empty(),
                OptionalInt.of(100), OptionalInt.of(100), "r", AT);

        byte[] message = RtNetlinkRouteMessages.rule(RtNetlinkRouteMessages.RTM_NEWRULE,
                RtNetlinkMessages.ADD_FLAGS, 9, rule);

        assertThat(HEX.formatHex(message)).isEqualTo(
                "34000000" + "2000" + "0506" + "09000000" + "00000000" // nlmsghdr: RTM_NEWRULE
                        + "02002000" + "64000001" + "00000000"          // fib_rule_hdr: src /32, table 100, to-table
                        + "08000200" + "c00002c8"                       // FRA_SRC 192.0.2.200
                        + "08000600" + "64000000"                       // FRA_PRIORITY 100
                        + "08000f00" + "64000000");                     // FRA_TABLE 100
    }

    private static IpPrefix prefix(String address, int length) throws Exception {
        return new IpPrefix(InetAddress.getByName(address), length);
    }
}
