package io.quorumvip.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quorumvip.config.SourcePosition;
import io.quorumvip.config.UseVmac;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InterfacePlanTest {

    private static final SourcePosition AT = new SourcePosition(Path.of("keepalived.conf"), 5, 5);

    private static Optional<UseVmac> vmac(String name, boolean xmitBase) {
        return Optional.of(new UseVmac(name, xmitBase, AT));
    }

    @Test
    void shouldKeepEverythingOnTheInstanceInterfaceWithoutUseVmac() {
        InterfacePlan plan = InterfacePlan.of("eth0", 51, false, Optional.empty());

        assertThat(plan.addressDevice(Optional.empty())).isEqualTo("eth0");
        assertThat(plan.advertDevice()).isEqualTo("eth0");
        assertThat(plan.receiveDevice()).isEqualTo("eth0");
        assertThat(plan.advertSourceMac()).isEmpty();
        assertThat(plan.describe()).isEqualTo("addresses and adverts on eth0");
    }

    @Test
    void shouldPutAddressesAndAdvertsOnTheMacvlanWithTheVirtualRouterMac() {
        InterfacePlan plan = InterfacePlan.of("eth0", 51, false, vmac("vrrp.51", false));

        assertThat(plan.vmac()).map(InterfacePlan.Vmac::mac).contains("00:00:5e:00:01:33");
        assertThat(plan.addressDevice(Optional.empty())).isEqualTo("vrrp.51");
        assertThat(plan.advertDevice()).isEqualTo("vrrp.51");
        assertThat(plan.advertSourceMac()).contains("00:00:5e:00:01:33");
        assertThat(plan.receiveDevice()).isEqualTo("vrrp.51");
    }

    @Test
    void shouldLeaveAnAddressOnAnotherInterfaceThereButMoveOneOnTheInstanceInterfaceToTheMacvlan() {
        InterfacePlan plan = InterfacePlan.of("eth0", 51, false, vmac("vrrp.51", false));

        assertThat(plan.addressDevice(Optional.of("eth1"))).isEqualTo("eth1");
        assertThat(plan.addressDevice(Optional.of("eth0"))).isEqualTo("vrrp.51");
        assertThat(InterfacePlan.of("eth0", 51, false, Optional.empty()).addressDevice(Optional.of("eth1")))
                .isEqualTo("eth1");
    }

    @Test
    void shouldSendAdvertsFromTheBaseInterfaceWithVmacXmitBase() {
        InterfacePlan plan = InterfacePlan.of("eth0", 7, false, vmac("vrrp.7", true));

        assertThat(plan.addressDevice(Optional.empty())).isEqualTo("vrrp.7");
        assertThat(plan.advertDevice()).isEqualTo("eth0");
        assertThat(plan.advertSourceMac()).isEmpty();
        assertThat(plan.receiveDevice()).isEqualTo("eth0");
        assertThat(plan.describe()).isEqualTo("addresses on vrrp.7 (00:00:5e:00:01:07, macvlan private on eth0), "
                + "adverts sent and received on eth0");
    }

    @Test
    void shouldUseTheIpv6VirtualMacAndSendIpv6AdvertsFromTheBase() {
        InterfacePlan plan = InterfacePlan.of("eth0", 255, true, vmac("vrrp.255", false));

        assertThat(plan.vmac()).map(InterfacePlan.Vmac::mac).contains("00:00:5e:00:02:ff");
        assertThat(plan.vmac().orElseThrow().macBytes()).containsExactly(0, 0, 0x5e, 0, 2, 0xff);
        assertThat(plan.addressDevice(Optional.empty())).isEqualTo("vrrp.255");
        assertThat(plan.advertDevice()).isEqualTo("eth0");
    }

    @Test
    void shouldRefuseAVridOutOfRange() {
        assertThatThrownBy(() -> InterfacePlan.of("eth0", 0, false, Optional.empty()))
                .hasMessage("virtual_router_id 0 (expected 1..255)");
    }
}
