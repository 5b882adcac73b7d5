package io.quorumvip.agent.interop;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.agent.LabAgent;
import io.quorumvip.lab.Lab;
import io.quorumvip.lab.LabHost;
import io.quorumvip.lab.LabPreconditions;
import io.quorumvip.lab.LabProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * VRRPv3 over IPv6 in a mixed cluster: our agent and keepalived 2.2.7 on one IPv6 instance (VRID 52, VIP
 * 2001:db8::200/64), fail-over in both directions. Ground truth is the kernels' IPv6 address lists and the client's
 * neighbour cache (which our unsolicited neighbour advertisement must repoint).
 */
class KeepalivedIpv6InteropTest {

    private static final String VIP = "2001:db8::200";
    private static final String INSTANCE = "VI_6";
    private static final String CONFIG = """
            global_defs {
                router_id ROUTER
            }
            vrrp_instance VI_6 {
                state STATE
                interface eth0
                virtual_router_id 52
                priority PRIORITY
                advert_int 1
                virtual_ipaddress {
                    2001:db8::200/64
                }
            }
            """;

    @BeforeEach
    void requireLab() {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("keepalived", "curl");
    }

    @Test
    void ourHigherPriorityAgentShouldBeMasterAndKeepalivedShouldTakeOverWhenItDiesAndGiveBackWhenItReturns() {
        try (Lab lab = Lab.upWithIpv6(2)) {
            LabHost n1 = lab.node(1);
            LabHost n2 = lab.node(2);
            n2.startKeepalived(write(lab, n2, "keepalived-ipv6.conf", config("ka2", "BACKUP", 100)));
            LabAgent ours = LabAgent.start(lab, n1, config("agent1", "MASTER", 150));

            awaitCondition("our agent MASTER, only n1 holds " + VIP, LabAgent.MASTER_BOUND,
                    () -> ours.state(INSTANCE) + " " + holders(lab), "MASTER [n1]"::equals);
            awaitCondition("keepalived on n2 BACKUP (it obeys our IPv6 adverts)", LabAgent.MASTER_BOUND,
                    () -> lastKeepalivedState(n2), "BACKUP"::equals);

            ours.process().freezeAndKill();
            awaitCondition("keepalived on n2 holds " + VIP + " after our agent died", LabAgent.MASTER_BOUND,
                    () -> holders(lab), holders -> holders.contains("n2"));

            LabAgent restarted = LabAgent.start(lab, n1, config("agent1", "MASTER", 150));
            awaitCondition("the restarted agent takes " + VIP + " back (preempt)", LabAgent.MASTER_BOUND,
                    () -> restarted.state(INSTANCE) + " " + holders(lab), "MASTER [n1]"::equals);
        }
    }

    @Test
    void ourLowerPriorityAgentShouldTakeOverWhenKeepalivedDiesAndRepointTheClientsNeighbourCache() {
        try (Lab lab = Lab.upWithIpv6(2)) {
            LabHost n1 = lab.node(1);
            LabHost n2 = lab.node(2);
            LabProcess keepalived = n1.startKeepalived(write(lab, n1, "keepalived-ipv6.conf", config("ka1", "MASTER", 150)));
            LabAgent ours = LabAgent.start(lab, n2, config("agent2", "BACKUP", 100));
            awaitCondition("keepalived MASTER on n1, our agent BACKUP", LabAgent.MASTER_BOUND,
                    () -> ours.state(INSTANCE) + " " + holders(lab), "BACKUP [n1]"::equals);
            lab.client().exec("ping", "-6", "-c", "1", "-W", "2", VIP).requireSuccess();
            assertThat(clientNeighbour(lab)).contains(n1.mac());

            keepalived.freezeAndKill();
            awaitCondition("our agent on n2 holds " + VIP, LabAgent.MASTER_BOUND, () -> holders(lab),
                    holders -> holders.contains("n2"));
            assertThat(ours.state(INSTANCE)).isEqualTo("MASTER");

            // Our unsolicited neighbour advertisement (Override) must repoint the client's cache, although the dead
            // keepalived node's kernel still holds the address.
            awaitCondition("the client's neighbour cache points " + VIP + " at n2 (" + n2.mac() + ")",
                    Duration.ofSeconds(2), () -> clientNeighbour(lab), Optional.of(n2.mac())::equals);
        }
    }

    private static String config(String routerId, String state, int priority) {
        return CONFIG.replace("ROUTER", routerId).replace("STATE", state)
                .replace("PRIORITY", Integer.toString(priority));
    }

    private static Path write(Lab lab, LabHost host, String name, String text) {
        Path file = lab.stateDir().resolve(host.name()).resolve(name);
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The nodes whose kernel holds the IPv6 VIP on eth0. */
    private static Set<String> holders(Lab lab) {
        Set<String> holders = new TreeSet<>();
        for (LabHost node : lab.nodes()) {
            if (node.exec("ip", "-6", "addr", "show", "dev", "eth0").stdout().contains(VIP + "/64")) {
                holders.add(node.name());
            }
        }
        return holders;
    }

    /** The MAC the client's kernel holds for the VIP right now, without sending anything. */
    private static Optional<String> clientNeighbour(Lab lab) {
        String out = lab.client().exec("ip", "-6", "neigh", "show", VIP).stdout();
        int at = out.indexOf("lladdr ");
        return at < 0 ? Optional.empty() : Optional.of(out.substring(at + 7).split("\\s+")[0]);
    }

    /** The state keepalived last logged entering ("(VI_6) Entering BACKUP STATE"), or "none". */
    private static String lastKeepalivedState(LabHost host) {
        String state = "none";
        try {
            for (String line : Files.readAllLines(host.stateDir().resolve("keepalived.log"))) {
                int at = line.indexOf(") Entering ");
                if (at >= 0) {
                    state = line.substring(at + ") Entering ".length()).split(" ")[0];
                }
            }
        } catch (IOException e) {
            return "no log yet";
        }
        return state;
    }
}
