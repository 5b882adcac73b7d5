package io.quorumvip.agent.lb;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.agent.LabAgent;
import io.quorumvip.lab.Lab;
import io.quorumvip.lab.LabHost;
import io.quorumvip.lab.LabPreconditions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The NAT sample's sync group with a lease: lvs-nat-node{1,2}.conf unchanged plus a quorum block. Under a VRRP
 * partition of one member's interface, kill -9 and SIGSTOP of the owner, an independent poller of every node's
 * kernel ({@code ip -n NS -o -4 addr show}, all interfaces) never sees the front VIP (eth0) and the gateway VIP
 * (eth1) on two different nodes, nor either VIP on two nodes.
 */
class SyncGroupNatLabTest {

    private static final String FRONT = "192.0.2.220";
    private static final String BACK = "198.51.100.1";
    private static final Duration SESSION_TIMEOUT = Duration.ofMillis(6000);
    private static final Duration MOVE_BOUND = Duration.ofSeconds(30);

    /** One poll: who held each VIP. */
    private record Sample(long atNanos, Set<String> front, Set<String> back) {
        boolean split() {
            return front.size() > 1 || back.size() > 1
                    || !front.isEmpty() && !back.isEmpty() && !front.equals(back);
        }
    }

    private Lab lab;
    private final List<Sample> samples = new ArrayList<>();
    private volatile boolean polling;
    private Thread poller;

    @AfterEach
    void down() throws InterruptedException {
        polling = false;
        if (poller != null) {
            poller.join(10_000);
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void shouldNeverShowTheFrontAndGatewayVipsOnDifferentNodesUnderPartitionKillAndPause() throws Exception {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("nginx", "curl", "nft");
        lab = Lab.upWithRealServers(2, 1, Lab.Forwarding.NAT, 3);
        var samplesDir = lab.layout().shared().resolve("lb-samples");
        String quorum = LabAgent.quorumBlock(lab, SESSION_TIMEOUT);
        String node1 = Files.readString(samplesDir.resolve("lvs-nat-node1.conf")) + quorum;
        String node2 = Files.readString(samplesDir.resolve("lvs-nat-node2.conf")) + quorum;
        LabHost n1 = lab.node(1);
        LabHost n2 = lab.node(2);
        LabAgent a1 = LabAgent.start(lab, n1, node1);
        LabAgent a2 = LabAgent.start(lab, n2, node2);
        startPolling(List.of(n1, n2));
        awaitBoth("n1", n1.name());

        // VRRP dropped on n1's eth1 only: n2's back hears no master, but its front still does, so the group holds
        // it BACKUP; nothing moves.
        nft(n1, "add table ip qvip_sync_eth1",
                "add chain ip qvip_sync_eth1 in { type filter hook input priority 0 ; }",
                "add chain ip qvip_sync_eth1 out { type filter hook output priority 0 ; }",
                "add rule ip qvip_sync_eth1 in iifname eth1 ip protocol 112 drop",
                "add rule ip qvip_sync_eth1 out oifname eth1 ip protocol 112 drop");
        Thread.sleep(10_000);
        assertThat(latest().front()).containsExactly(n1.name());
        assertThat(latest().back()).containsExactly(n1.name());
        assertThat(a2.state("back")).isEqualTo("BACKUP");
        nft(n1, "delete table ip qvip_sync_eth1");

        long killed = System.nanoTime();
        a1.process().kill9();
        awaitBoth("n2 after kill -9 of n1", n2.name());
        long movedAfterKill = System.nanoTime() - killed;

        a1 = LabAgent.start(lab, n1, node1);
        awaitBoth("n1 again after its restart (priority 150 preempts)", n1.name());

        long paused = System.nanoTime();
        a1.process().sigstop();
        awaitBoth("n2 while n1 is paused", n2.name());
        long movedAfterPause = System.nanoTime() - paused;
        a1.process().sigcont();
        awaitBoth("n1 again after SIGCONT", n1.name());
        Thread.sleep(2_000);

        polling = false;
        poller.join(10_000);
        List<Sample> splits = samples.stream().filter(Sample::split).toList();
        long gaps = samples.stream().filter(s -> s.front().isEmpty() != s.back().isEmpty()).count();
        System.out.printf("measured: sync group NAT lab: samples=%d split_samples=%d one_vip_only_samples=%d"
                        + " moved_after_kill9_ms=%d moved_after_sigstop_ms=%d%n", samples.size(), splits.size(), gaps,
                movedAfterKill / 1_000_000, movedAfterPause / 1_000_000);
        assertThat(splits).as("polls where the two VIPs were on different nodes or a VIP on two").isEmpty();
        assertThat(samples).hasSizeGreaterThan(500);
    }

    private void awaitBoth(String what, String node) {
        awaitCondition(what + " holds both VIPs", MOVE_BOUND, this::latest,
                s -> s.front().equals(Set.of(node)) && s.back().equals(Set.of(node)));
    }

    private Sample latest() {
        synchronized (samples) {
            return samples.get(samples.size() - 1);
        }
    }

    private static void nft(LabHost host, String... commands) {
        for (String command : commands) {
            List<String> argv = new ArrayList<>(List.of("nft"));
            argv.addAll(List.of(command.split(" ")));
            assertThat(host.exec(argv.toArray(String[]::new)).exitCode()).as(command).isZero();
        }
    }

    private void startPolling(List<LabHost> nodes) {
        polling = true;
        poll(nodes);
        poller = new Thread(() -> {
            while (polling) {
                long started = poll(nodes);
                long left = started + TimeUnit.MILLISECONDS.toNanos(20) - System.nanoTime();
                if (left > 0) {
                    try {
                        Thread.sleep(left / 1_000_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }, "sync-group-poller");
        poller.setDaemon(true);
        poller.start();
    }

    private long poll(List<LabHost> nodes) {
        long start = System.nanoTime();
        Set<String> front = new TreeSet<>();
        Set<String> back = new TreeSet<>();
        for (LabHost node : nodes) {
            String addresses = addresses(node);
            if (addresses.contains(" inet " + FRONT + "/")) {
                front.add(node.name());
            }
            if (addresses.contains(" inet " + BACK + "/")) {
                back.add(node.name());
            }
        }
        synchronized (samples) {
            samples.add(new Sample(start, front, back));
        }
        return start;
    }

    /** One fork of {@code ip -n NS -o -4 addr show}: every interface of the node at one instant. */
    private static String addresses(LabHost node) {
        List<String> command = List.of("ip", "-n", node.namespace(), "-o", "-4", "addr", "show");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (InputStream out = process.getInputStream()) {
                String text = new String(out.readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(5, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed: " + text);
                }
                return text;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
