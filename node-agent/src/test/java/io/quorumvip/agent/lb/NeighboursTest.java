package io.quorumvip.agent.lb;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DR's MACs: what the neighbour table says, and what a blink of it must not change. */
class NeighboursTest {

    private static final InetAddress RS1 = address("192.0.2.51");
    private static final InetAddress RS2 = address("192.0.2.52");

    @Test
    void shouldReadOnlyCompleteEntries(@TempDir Path dir) throws Exception {
        Path arp = dir.resolve("arp");
        Files.writeString(arp, """
                IP address       HW type     Flags       HW address            Mask     Device
                192.0.2.51       0x1         0x2         32:8E:1B:14:65:16     *        eth0
                192.0.2.52       0x1         0x0         00:00:00:00:00:00     *        eth0
                not-an-address
                """);

        assertThat(Neighbours.arpTable(arp)).containsExactly(Map.entry(RS1, "32:8e:1b:14:65:16"));
    }

    @Test
    void shouldKeepAKnownMacWhenARealServerIsMissingFromOneRead() {
        Map<InetAddress, String> known = Map.of(RS1, "32:8e:1b:14:65:16", RS2, "32:46:49:67:32:81");

        Map<InetAddress, String> next = Neighbours.follow(known, Map.of(RS1, "32:8e:1b:14:65:16"), List.of(RS1, RS2));

        assertThat(next).isEqualTo(known);
    }

    @Test
    void shouldFollowAChangedMacAndLearnANewOneAndForgetRealServersNoLongerWanted() {
        Map<InetAddress, String> known = Map.of(RS1, "32:8e:1b:14:65:16", RS2, "32:46:49:67:32:81");

        Map<InetAddress, String> next = Neighbours.follow(known, Map.of(RS1, "02:00:00:00:00:01"), List.of(RS1));

        assertThat(next).isEqualTo(Map.of(RS1, "02:00:00:00:00:01"));
        assertThat(Neighbours.follow(Map.of(), Map.of(RS2, "32:46:49:67:32:81"), List.of(RS1, RS2)))
                .isEqualTo(Map.of(RS2, "32:46:49:67:32:81"));
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
