package io.quorumvip.config;

import static io.quorumvip.config.ConfigFixture.instance;
import static io.quorumvip.config.ConfigFixture.parse;
import static io.quorumvip.config.ConfigFixture.parseClean;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeIpv6Test {

    @TempDir
    Path dir;

    @Test
    void shouldRunAnInstanceWithIpv6AddressesOverIpv6WithVersion3() {
        VrrpInstanceConfig config = parseClean(dir, instance("VI_6", "interface eth0", "virtual_router_id 52",
                "virtual_ipaddress { 2001:db8::200/64 }")).vrrpInstances().get(0);

        assertThat(config.ipv6()).isTrue();
        assertThat(config.nativeIpv6()).isFalse();
        assertThat(config.version()).isEqualTo(3);
    }

    @Test
    void shouldMakeAnInstanceIpv6WithNativeIpv6() {
        VrrpInstanceConfig config = parse(dir, instance("VI_6", "interface eth0", "virtual_router_id 52",
                "native_ipv6")).config().vrrpInstances().get(0);

        assertThat(config.ipv6()).isTrue();
        assertThat(config.version()).isEqualTo(3);
    }

    @Test
    void shouldLeaveAnIpv4AddressOutOfANativeIpv6InstanceAsKeepalivedDoes() {
        ParseResult result = parse(dir, instance("VI_6", "interface eth0", "virtual_router_id 52", "native_ipv6",
                "virtual_ipaddress { 192.0.2.200 }"));

        assertThat(result.findings()).anySatisfy(finding -> {
            assertThat(finding.severity()).isEqualTo(Severity.WARNING);
            assertThat(finding.message()).isEqualTo(
                    "192.0.2.200 is not of the family of `VI_6` (native_ipv6); it is left out, as keepalived does");
        });
        assertThat(result.config().vrrpInstances().get(0).virtualIpAddresses()).isEmpty();
    }
}
