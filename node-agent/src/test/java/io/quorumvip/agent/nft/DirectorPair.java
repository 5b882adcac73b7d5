package io.quorumvip.agent.nft;

import io.quorumvip.lab.HostCommand;
import io.quorumvip.lab.Lab;
import io.quorumvip.lab.LabHost;

/** A load-balancing lab with two directors whose rulesets the test changes through {@link DirectorTables}. */
final class DirectorPair implements AutoCloseable {
    final Lab lab;
    final DirectorTables n1;
    final DirectorTables n2;

    private DirectorPair(Lab lab, DirectorTables n1, DirectorTables n2) {
        this.lab = lab;
        this.n1 = n1;
        this.n2 = n2;
    }

    /** Two directors, rs1 and rs2 (and the sorry server), a client. */
    static DirectorPair up(Lab.Forwarding forwarding) throws Exception {
        Lab lab = Lab.upWithRealServers(2, 2, forwarding);
        DirectorTables n1 = null;
        try {
            n1 = DirectorTables.of(lab.node(1));
            return new DirectorPair(lab, n1, DirectorTables.of(lab.node(2)));
        } catch (Exception | Error e) {
            try (Lab closing = lab; DirectorTables first = n1) {
                throw e;
            }
        }
    }

    /** Binds {@code address}/24 on {@code device} of {@code host}, as an owner would; idempotent. */
    static void bind(LabHost host, String address, String device) {
        HostCommand.run("ip", "-n", host.namespace(), "addr", "replace", address + "/24", "dev", device)
                .requireSuccess();
    }

    /** Removes {@code address}/24 from {@code device} of {@code host} if it is there. */
    static void unbind(LabHost host, String address, String device) {
        HostCommand.run("ip", "-n", host.namespace(), "addr", "del", address + "/24", "dev", device);
    }

    /** The client forgets every MAC it learnt, so it resolves the VIP afresh. */
    void clientForgetsNeighbours() {
        HostCommand.run("ip", "-n", lab.client().namespace(), "neigh", "flush", "dev", "eth0").requireSuccess();
    }

    /**
     * n1 loses the VIP while the client's ARP cache still points at it, as after a fail-over whose gratuitous ARP
     * the client missed.
     */
    void n1LosesVipButClientStillSendsThere(String vip) {
        HostCommand.run("ip", "-n", lab.node(1).namespace(), "addr", "del", vip + "/24", "dev", "eth0").requireSuccess();
        HostCommand.run("ip", "-n", lab.client().namespace(), "neigh", "replace", vip, "lladdr", lab.node(1).mac(),
                "dev", "eth0", "nud", "stale").requireSuccess();
    }

    /** Closes the namespace threads, then the lab (processes, namespaces). */
    @Override
    public void close() throws Exception {
        try (Lab closing = lab; DirectorTables first = n1; DirectorTables second = n2) {
            // try-with-resources closes them in reverse order, each even when another fails
        }
    }
}
