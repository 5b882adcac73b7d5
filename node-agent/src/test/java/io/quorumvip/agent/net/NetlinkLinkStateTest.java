package io.quorumvip.agent.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonArray;

/** Link state of a veth end while it and its peer are set down and up with {@code ip link} (root only). */
class NetlinkLinkStateTest {
    /** Operstate follows the flags through the kernel's link watch, which may lag by up to about a second. */
    private static final Duration SETTLE = Duration.ofSeconds(10);

    private static VethLab lab;
    private static NetlinkLinkState links;

    @BeforeAll
    static void createLab() throws Exception {
        VethLab.assumeRootAndIp();
        lab = VethLab.create();
        links = lab.inA(NetlinkLinkState::open);
    }

    @AfterAll
    static void removeLab() throws Exception {
        if (links != null) {
            links.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void shouldSeeTheLinkGoDownAndComeBackUp() throws Exception {
        boolean upAtStart = settlesTo(true);

        VethLab.ip("-n", lab.nsA, "link", "set", "eth0", "down");
        boolean downAfterSetDown = settlesTo(false);
        LinkStatus whileDown = links.status("eth0");
        VethLab.ip("-n", lab.nsA, "link", "set", "eth0", "up");
        boolean upAfterSetUp = settlesTo(true);

        assertThat(upAtStart).isTrue();
        assertThat(downAfterSetDown).isTrue();
        assertThat(whileDown.adminUp()).isFalse();
        assertThat(upAfterSetUp).isTrue();
    }

    @Test
    void shouldSeeTheLinkDownWhenThePeerLosesCarrier() throws Exception {
        VethLab.ip("-n", lab.nsB, "link", "set", "eth0", "down");
        try {
            boolean down = settlesTo(false);
            LinkStatus status = links.status("eth0");

            assertThat(down).isTrue();
            assertThat(status.adminUp()).isTrue();
            assertThat(status.carrier()).isFalse();
        } finally {
            VethLab.ip("-n", lab.nsB, "link", "set", "eth0", "up");
        }
        assertThat(settlesTo(true)).isTrue();
    }

    @Test
    void shouldReportIndexAndMacAsIpShowsThem() throws Exception {
        var shown = new JsonArray(VethLab.ip("-n", lab.nsA, "-j", "link", "show", "dev", "eth0")).getJsonObject(0);

        LinkStatus status = links.status("eth0");

        assertThat(status.device()).isEqualTo("eth0");
        assertThat(status.index()).isEqualTo(shown.getInteger("ifindex"));
        assertThat(status.mac()).hasToString(shown.getString("address"));
        assertThat(links.macAddress("eth0")).isEqualTo(status.mac());
    }

    @Test
    void shouldNameTheDeviceWhenItDoesNotExist() {
        assertThatThrownBy(() -> links.status("nosuch0"))
                .isInstanceOf(IOException.class)
                .hasMessage("RTM_GETLINK nosuch0 failed: No such device (errno 19) — check the interface name (ip link show)");
    }

    private static boolean settlesTo(boolean up) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < deadline) {
            if (links.isUp("eth0") == up) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }
}
