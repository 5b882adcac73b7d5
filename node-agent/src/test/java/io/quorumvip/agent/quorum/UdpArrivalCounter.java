package io.quorumvip.agent.quorum;

import io.quorumvip.lab.HostCommand;
import io.quorumvip.lab.LabHost;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An nftables counter in a lab node's namespace for UDP datagrams to one address and port. It counts at prerouting,
 * that is every datagram the client's kernel sent to this node's MAC, whether or not the node holds the address:
 * a node the client wrongly points at counts too, and that is what it is there to show. The table goes with the
 * namespace.
 */
final class UdpArrivalCounter {

    private static final String TABLE = "qvip_test_udp";
    private static final Pattern PACKETS = Pattern.compile("counter packets (\\d+) bytes");
    private static final Duration NFT_BOUND = Duration.ofSeconds(10);

    private final LabHost host;

    private UdpArrivalCounter(LabHost host) {
        this.host = host;
    }

    static UdpArrivalCounter install(LabHost host, String address, int port) {
        String script = "table inet " + TABLE + " {\n"
                + "    chain prerouting {\n"
                + "        type filter hook prerouting priority 0; policy accept;\n"
                + "        ip daddr " + address + " udp dport " + port + " counter\n"
                + "    }\n"
                + "}\n";
        HostCommand.run(NFT_BOUND, script, List.of("ip", "netns", "exec", host.namespace(), "nft", "-f", "-"))
                .requireSuccess();
        return new UdpArrivalCounter(host);
    }

    /** Datagrams counted so far. */
    long packets() {
        String chain = HostCommand.run(NFT_BOUND, List.of("ip", "netns", "exec", host.namespace(), "nft", "list",
                "chain", "inet", TABLE, "prerouting")).requireSuccess().stdout();
        Matcher packets = PACKETS.matcher(chain);
        if (!packets.find()) {
            throw new IllegalStateException("no counter in the nft chain inet " + TABLE + " prerouting on "
                    + host.name() + " (expected `counter packets N bytes M`): " + chain);
        }
        return Long.parseLong(packets.group(1));
    }

    @Override
    public String toString() {
        return "UDP counter on " + host.name();
    }
}
