package io.quorumvip.vrrp;

import static io.quorumvip.vrrp.VrrpFixtures.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class VrrpConfigTest {

    private static VrrpConfig build(int vrid, int priority, int version, int intervalCentis, boolean preempt,
            Duration delay, InitialState hint, InetAddress address) {
        return new VrrpConfig(vrid, priority, version, intervalCentis, preempt, delay, hint, address);
    }

    @Test
    void keepalivedDefaultsShouldBeVersion2OneSecondPreemptingBackup() {
        VrrpConfig config = VrrpConfig.keepalivedDefaults(51, 100, node(11));

        assertThat(config).isEqualTo(
                build(51, 100, 2, 100, true, Duration.ZERO, InitialState.BACKUP, node(11)));
    }

    @Test
    void keepalivedDefaultsShouldStartAnAddressOwnerAsMaster() {
        assertThat(VrrpConfig.keepalivedDefaults(51, 255, node(11)).initialState()).isEqualTo(InitialState.MASTER);
    }

    @Test
    void shouldRejectVridOutOfRange() {
        assertThatThrownBy(() -> build(0, 100, 2, 100, true, Duration.ZERO, InitialState.BACKUP, node(11)))
                .hasMessage("virtual_router_id: got 0 (expected 1..255)");
    }

    @Test
    void shouldRejectPriorityZero() {
        assertThatThrownBy(() -> build(51, 0, 2, 100, true, Duration.ZERO, InitialState.BACKUP, node(11)))
                .hasMessage("priority: got 0 (expected 1..255)");
    }

    @Test
    void shouldRejectUnknownVersion() {
        assertThatThrownBy(() -> build(51, 100, 4, 100, true, Duration.ZERO, InitialState.BACKUP, node(11)))
                .hasMessage("VRRP version: got 4 (expected 2 or 3)");
    }

    @Test
    void shouldRejectVersion2IntervalThatIsNotWholeSeconds() {
        assertThatThrownBy(() -> build(51, 100, 2, 150, true, Duration.ZERO, InitialState.BACKUP, node(11)))
                .hasMessageContaining("got 150 centiseconds (expected whole seconds");
    }

    @Test
    void shouldRejectVersion3IntervalAboveTwelveBits() {
        assertThatThrownBy(() -> build(51, 100, 3, 4096, true, Duration.ZERO, InitialState.BACKUP, node(11)))
                .hasMessage("advert_int in centiseconds for VRRPv3: got 4096 (expected 1..4095)");
    }

    @Test
    void shouldRejectIpv6PrimaryAddressForVersion2() throws Exception {
        InetAddress v6 = InetAddress.getByName("2001:db8::11");

        assertThatThrownBy(() -> build(51, 100, 2, 100, true, Duration.ZERO, InitialState.BACKUP, v6))
                .hasMessageContaining("expected IPv4");
    }

    @Test
    void shouldRejectNopreemptForAddressOwner() {
        assertThatThrownBy(() -> build(51, 255, 2, 100, false, Duration.ZERO, InitialState.BACKUP, node(11)))
                .hasMessageContaining("nopreempt with priority 255");
    }

    @Test
    void shouldRejectNopreemptWithInitialStateMaster() {
        assertThatThrownBy(() -> build(51, 100, 2, 100, false, Duration.ZERO, InitialState.MASTER, node(11)))
                .hasMessageContaining("nopreempt with state MASTER");
    }

    @Test
    void shouldRejectPreemptDelayWithNopreempt() {
        assertThatThrownBy(() -> build(51, 100, 2, 100, false, Duration.ofSeconds(5), InitialState.BACKUP, node(11)))
                .hasMessageContaining("preempt_delay PT5S with nopreempt");
    }

    @Test
    void shouldRejectPreemptDelayWithInitialStateMaster() {
        assertThatThrownBy(() -> build(51, 100, 2, 100, true, Duration.ofSeconds(5), InitialState.MASTER, node(11)))
                .hasMessageContaining("preempt_delay PT5S with state MASTER");
    }

    @Test
    void shouldRejectNegativePreemptDelay() {
        assertThatThrownBy(() -> build(51, 100, 2, 100, true, Duration.ofSeconds(-1), InitialState.BACKUP, node(11)))
                .hasMessage("preempt_delay: got PT-1S (expected zero or more)");
    }

    @Test
    void advertShouldRejectPriorityAbove255() {
        assertThatThrownBy(() -> new VrrpInput.AdvertReceived(node(12), 256, 100))
                .hasMessage("advert priority: got 256 (expected 0..255)");
    }
}
