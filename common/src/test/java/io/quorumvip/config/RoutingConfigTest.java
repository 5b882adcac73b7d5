package io.quorumvip.config;

import static io.quorumvip.config.ConfigFixture.instance;
import static io.quorumvip.config.ConfigFixture.parse;
import static io.quorumvip.config.ConfigFixture.parseClean;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutingConfigTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadKeepalivedsRouteAndRuleSyntax() {
        KeepalivedConfig config = parseClean(dir, instance("VI_1", "interface eth0", "virtual_router_id 51",
                "virtual_ipaddress { 192.0.2.200/24 }",
                "virtual_routes {", "198.51.100.0/24 via 192.0.2.1 dev eth0 table 100 metric 5",
                "blackhole 198.51.100.128/25 table 100", "}",
                "virtual_rules {", "from 192.0.2.200 table 100 priority 100", "}"));

        VrrpInstanceConfig instance = config.vrrpInstances().get(0);
        RouteSpec route = instance.virtualRoutes().get(0);
        assertThat(route.type()).isEqualTo("unicast");
        assertThat(route.destination().toString()).isEqualTo("198.51.100.0/24");
        assertThat(route.via().orElseThrow().getHostAddress()).isEqualTo("192.0.2.1");
        assertThat(route.device()).contains("eth0");
        assertThat(route.table()).isEqualTo(OptionalInt.of(100));
        assertThat(route.metric()).isEqualTo(OptionalInt.of(5));
        assertThat(instance.virtualRoutes().get(1).type()).isEqualTo("blackhole");
        RuleSpec rule = instance.virtualRules().get(0);
        assertThat(rule.from().orElseThrow().toString()).isEqualTo("192.0.2.200/32");
        assertThat(rule.table()).isEqualTo(OptionalInt.of(100));
        assertThat(rule.priority()).isEqualTo(OptionalInt.of(100));
        assertThat(rule.ipv6()).isFalse();
    }

    @Test
    void shouldReadStaticAddressesRoutesAndRules() {
        KeepalivedConfig config = parseClean(dir, """
                global_defs {
                    default_interface eth9
                }
                static_ipaddress {
                    192.0.2.50/24 dev eth0
                    192.0.2.51/24
                }
                static_routes {
                    default via 192.0.2.1 dev eth0 table 200
                }
                static_rules {
                    to 198.51.100.0/24 table 200
                }
                """);

        assertThat(config.staticRouting().addresses())
                .extracting(a -> a.address().getHostAddress() + " " + a.device().orElseThrow())
                .containsExactly("192.0.2.50 eth0", "192.0.2.51 eth9");
        assertThat(config.staticRouting().routes().get(0).destination().length()).isZero();
        assertThat(config.staticRouting().rules().get(0).to().orElseThrow().toString())
                .isEqualTo("198.51.100.0/24");
    }

    @Test
    void shouldLeaveOutARouteWithAnOptionWeDoNotImplementAndSaySo() {
        ParseResult result = parse(dir, instance("VI_1", "interface eth0", "virtual_router_id 51",
                "virtual_ipaddress { 192.0.2.200/24 }",
                "virtual_routes {", "198.51.100.0/24 via 192.0.2.1 onlink yes", "}"));

        assertThat(result.findings()).anySatisfy(finding -> assertThat(finding.message()).isEqualTo(
                "not supported yet: `onlink` in route `198.51.100.0/24 via 192.0.2.1 onlink yes`; the route is left out"));
        assertThat(result.config().vrrpInstances().get(0).virtualRoutes()).isEmpty();
    }

    @Test
    void shouldRefuseARuleWithoutTableAndARouteWithoutGatewayOrDevice() {
        ParseResult result = parse(dir, instance("VI_1", "interface eth0", "virtual_router_id 51",
                "virtual_ipaddress { 192.0.2.200/24 }", "virtual_routes {", "198.51.100.0/24 metric 5", "}",
                "virtual_rules {", "from 192.0.2.200", "}"));

        assertThat(result.findings()).extracting(Finding::message).contains(
                "route `198.51.100.0/24 metric 5` has neither `via` nor `dev`",
                "rule `from 192.0.2.200` has no table");
    }
}
