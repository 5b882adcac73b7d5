package io.quorumvip.vrrp;

import static io.quorumvip.vrrp.VrrpCodecEncodeTest.VIP_200;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class VrrpExpectationsTest {

    @Test
    void shouldFindTheExpectationOfAConfiguredVrid() {
        VridExpectation vrid51 = VridExpectation.v2(51, 1, AuthType.NONE, "", List.of(VIP_200));

        VrrpExpectations expectations = VrrpExpectations.of(vrid51);

        assertThat(expectations.forVrid(51)).contains(vrid51);
        assertThat(expectations.forVrid(52)).isEmpty();
        assertThat(expectations.forVrid(-1)).isEmpty();
        assertThat(expectations.forVrid(256)).isEmpty();
    }

    @Test
    void shouldRefuseTheSameVridTwice() {
        VridExpectation v2 = VridExpectation.v2(51, 1, AuthType.NONE, "", List.of(VIP_200));
        VridExpectation v3 = VridExpectation.v3(51, 100, List.of(VIP_200));

        assertThatThrownBy(() -> VrrpExpectations.of(v2, v3))
                .hasMessage("VRID 51 configured twice on one interface (expected each VRID once per interface and "
                        + "family)");
    }

    @Test
    void shouldRefuseTheSameAddressTwice() {
        assertThatThrownBy(() -> VridExpectation.v3(51, 100, List.of(VIP_200, VIP_200)))
                .hasMessage("VRID 51 address 192.0.2.200 listed twice (expected each virtual_ipaddress once)");
    }

    @Test
    void shouldRefuseAnExpectationThatCouldNotBeSent() {
        assertThatThrownBy(() -> VridExpectation.v2(51, 0, AuthType.NONE, "", List.of(VIP_200)))
                .hasMessageStartingWith("VRRP version 2 advert interval got 0 cs");
        assertThatThrownBy(() -> VridExpectation.v2(51, 1, AuthType.SIMPLE_TEXT, "123456789", List.of(VIP_200)))
                .hasMessageStartingWith("VRRP password length got 9 bytes");
    }
}
