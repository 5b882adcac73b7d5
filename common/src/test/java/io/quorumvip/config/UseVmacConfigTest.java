package io.quorumvip.config;

import static io.quorumvip.config.ConfigFixture.instance;
import static io.quorumvip.config.ConfigFixture.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UseVmacConfigTest {

    @TempDir
    Path dir;

    private static String vmacInstance(String name, int vrid, String... lines) {
        String[] all = new String[lines.length + 3];
        all[0] = "interface eth0";
        all[1] = "virtual_router_id " + vrid;
        all[2] = "virtual_ipaddress { 192.0.2." + (199 + vrid) + " }";
        System.arraycopy(lines, 0, all, 3, lines.length);
        return instance(name, all);
    }

    private UseVmac useVmac(ParseResult result, String instance) {
        return result.config().instance(instance).orElseThrow().useVmac().orElseThrow();
    }

    @Test
    void shouldNameTheMacvlanVrrpDotVridLikeKeepalivedWhenNoNameIsGiven() {
        ParseResult result = parse(dir, vmacInstance("VI_1", 51, "use_vmac"));

        assertThat(result.findings()).isEmpty();
        assertThat(useVmac(result, "VI_1").interfaceName()).isEqualTo("vrrp.51");
        assertThat(useVmac(result, "VI_1").xmitBase()).isFalse();
        assertThat(useVmac(result, "VI_1").position().line()).isEqualTo(5);
    }

    @Test
    void shouldTakeTheNameWrittenAndVmacXmitBase() {
        ParseResult result = parse(dir, vmacInstance("VI_1", 51, "use_vmac vmac51", "vmac_xmit_base"));

        assertThat(result.findings()).isEmpty();
        assertThat(useVmac(result, "VI_1")).extracting(UseVmac::interfaceName, UseVmac::xmitBase)
                .containsExactly("vmac51", true);
    }

    @Test
    void shouldLeaveTheInstanceWithoutMacvlanWithoutUseVmac() {
        ParseResult result = parse(dir, vmacInstance("VI_1", 51));

        assertThat(result.config().instance("VI_1").orElseThrow().useVmac()).isEmpty();
    }

    @Test
    void shouldGiveTheSecondInstanceOfAVridTheNextFreeNameAsKeepalivedDoes() {
        String text = vmacInstance("VI_1", 51, "use_vmac") + instance("VI_2", "interface eth1",
                "virtual_router_id 51", "virtual_ipaddress { 198.51.100.1 }", "use_vmac")
                + instance("VI_6", "interface eth1", "virtual_router_id 51",
                "virtual_ipaddress { 2001:db8::1 }", "use_vmac", "vmac_xmit_base");

        ParseResult result = parse(dir, text);

        assertThat(result.errors()).isEmpty();
        assertThat(useVmac(result, "VI_2").interfaceName()).isEqualTo("vrrp1.51");
        assertThat(useVmac(result, "VI_6").interfaceName()).isEqualTo("vrrp6.51");
    }

    @Test
    void shouldRejectABadMacvlanNameAtItsLineAndColumn() {
        ParseResult result = parse(dir, vmacInstance("VI_1", 51, "use_vmac this-name-is-far-too-long"));

        assertThat(result.errors()).extracting(Finding::line, Finding::column, Finding::message).containsExactly(
                tuple(5, 14, "use_vmac this-name-is-far-too-long is not a valid interface name (expected 1..15 "
                        + "characters, no `/` or space)"));
        assertThat(result.usableConfig()).isEmpty();
    }

    @Test
    void shouldRejectTwoNamesAndTooManyWords() {
        ParseResult twoNames = parse(dir, vmacInstance("VI_1", 51, "use_vmac vrrp.51 vrrp.52"));
        assertThat(twoNames.errors()).extracting(Finding::line, Finding::message).containsExactly(
                tuple(5, "use_vmac has two interface names (`vrrp.51` and `vrrp.52`)"));

        ParseResult three = parse(dir, vmacInstance("VI_1", 51, "use_vmac a b c"));
        assertThat(three.errors()).extracting(Finding::line, Finding::message).containsExactly(
                tuple(5, "use_vmac has two interface names (`a` and `b`)"));
        assertThat(three.warnings()).extracting(Finding::line).containsExactly(5);
    }

    @Test
    void shouldRejectTheInstanceInterfaceOrAnotherInstancesMacvlanAsName() {
        ParseResult own = parse(dir, vmacInstance("VI_1", 51, "use_vmac eth0"));
        assertThat(own.errors()).extracting(Finding::line, Finding::message).containsExactly(
                tuple(5, "use_vmac eth0 names the instance's own interface"));

        ParseResult shared = parse(dir, vmacInstance("VI_1", 51, "use_vmac vm1")
                + vmacInstance("VI_2", 52, "use_vmac vm1"));
        assertThat(shared.errors()).extracting(Finding::line, Finding::message).containsExactly(
                tuple(11, "use_vmac vm1 is already the macvlan of `VI_1`"));
    }

    @Test
    void shouldSayAMacAddressArgumentIsNotSupportedYet() {
        ParseResult result = parse(dir, vmacInstance("VI_1", 51, "use_vmac vrrp.51 02:00:5e:00:01:33"));

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).extracting(Finding::line, Finding::message).containsExactly(
                tuple(5, "not supported yet: `use_vmac 02:00:5e:00:01:33`"));
        assertThat(useVmac(result, "VI_1").interfaceName()).isEqualTo("vrrp.51");
    }

    @Test
    void shouldIgnoreVmacXmitBaseWithoutUseVmacWithAWarning() {
        ParseResult result = parse(dir, vmacInstance("VI_1", 51, "vmac_xmit_base"));

        assertThat(result.warnings()).extracting(Finding::line, Finding::message).containsExactly(
                tuple(5, "vmac_xmit_base without use_vmac in `VI_1`; it is ignored, as keepalived does"));
        assertThat(result.config().instance("VI_1").orElseThrow().useVmac()).isEmpty();
    }

    @Test
    void shouldSendFromTheBaseInterfaceWithUnicastPeersAndSaySo() {
        ParseResult result = parse(dir, vmacInstance("VI_1", 51, "use_vmac", "unicast_src_ip 192.0.2.11",
                "unicast_peer {", "192.0.2.12", "}"));

        assertThat(result.warnings()).extracting(Finding::line, Finding::message).containsExactly(
                tuple(5, "use_vmac with unicast_peer in `VI_1`: adverts go out of eth0, as with vmac_xmit_base"));
        assertThat(useVmac(result, "VI_1").xmitBase()).isTrue();
    }

    @Test
    void shouldNoLongerCallUseVmacNotSupported() {
        ParseResult result = parse(dir, vmacInstance("VI_1", 51, "use_vmac", "vmac_xmit_base"));

        assertThat(result.findings()).extracting(Finding::message).noneMatch(m -> m.contains("not supported"));
    }
}
