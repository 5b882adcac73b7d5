package io.quorumvip.agent.lb;

import io.quorumvip.agent.net.NamespaceThread;
import io.quorumvip.agent.net.NftCounterDump;
import io.quorumvip.agent.nft.Libnftables;
import io.quorumvip.config.ForwardingMethod;
import io.quorumvip.config.L4Protocol;
import io.quorumvip.config.LbScheduler;
import io.quorumvip.config.RealServerConfig;
import io.quorumvip.config.SourcePosition;
import io.quorumvip.config.VirtualServerConfig;
import io.quorumvip.config.VirtualService;
import io.quorumvip.lab.HostCommand;
import io.quorumvip.lab.LabPreconditions;
import io.quorumvip.lb.ListedCounters;
import io.quorumvip.lb.LvsStats;
import io.quorumvip.lb.NftProgram;
import io.quorumvip.lb.NftProgramBuilder;
import io.quorumvip.lb.PoolFold;
import io.quorumvip.lb.RealServerState;
import io.quorumvip.lb.ServicePlan;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What one read of the counters costs at scale (a /metrics scrape or {@code /v1/status}): the agent's read, a netlink
 * dump of the counter objects ({@link NftCounterDump}), against libnftables' {@code list counters} and {@code list
 * table} (what the agent used before), on the same program of {@code reals} real servers in {@code services} NAT virtual servers, in a namespace made for
 * the run. Prints wall and CPU time per read and the process's resident memory after the reads of each kind. A
 * benchmark (not in the suite): run it with {@code mvn -pl node-agent -am test -Dtest=CounterReadBench
 * -Dsurefire.failIfNoSpecifiedTests=false [-Dreals=10000 -Dservices=100 -Dreads=5]}.
 */
class CounterReadBench {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int REALS = Integer.getInteger("reals", 10_000);
    private static final int SERVICES = Integer.getInteger("services", 100);
    private static final int READS = Integer.getInteger("reads", 5);

    @Test
    void printCounterReadCost() throws Exception {
        LabPreconditions.assumeLabCanRun();
        SourcePosition here = new SourcePosition(Path.of("bench.conf"), 1, 1);
        List<ServicePlan> plans = new ArrayList<>();
        int each = REALS / SERVICES;
        for (int v = 0; v < SERVICES; v++) {
            List<RealServerConfig> reals = new ArrayList<>();
            for (int i = 0; i < each; i++) {
                reals.add(new RealServerConfig(InetAddress.getByName("198.51.100." + (i % 250 + 1)), 1000 + i, here,
                        1, ForwardingMethod.NAT, false, Optional.empty(), Optional.empty(), false, List.of()));
            }
            VirtualServerConfig vs = new VirtualServerConfig(new VirtualService.Endpoint(
                    InetAddress.getByName("192.0.2.220"), 1000 + v), here, L4Protocol.TCP, LbScheduler.WRR,
                    ForwardingMethod.NAT, Optional.empty(), 1, 0, Optional.empty(), Optional.empty(), false, false,
                    false, false, false, Optional.empty(), Optional.empty(), false, false, reals);
            List<RealServerState> states = reals.stream().map(r -> RealServerState.of(r, true)).toList();
            plans.add(ServicePlan.of(vs, Map.of(), PoolFold.fold(vs, states, true).pool(), Optional.empty(),
                    false));
        }
        NftProgram program = NftProgramBuilder.build(plans);
        String namespace = "qvcrb-" + ProcessHandle.current().pid();
        HostCommand.run("ip", "netns", "add", namespace).requireSuccess();
        try (NamespaceThread inside = NamespaceThread.enter(namespace)) {
            Libnftables nft = inside.call(Libnftables::open);
            // A second context, as the agent's terse one was: libnftables fills its cache at every list.
            Libnftables reader = inside.call(Libnftables::open);
            try {
                inside.call(() -> nft.run(program.fullTransaction()));
                System.out.printf("%d real servers in %d NAT virtual servers; RSS after applying %d MiB; load"
                        + " average %s%n", REALS, SERVICES, rssMiB(), loadAverage());
                dump(inside);
                read(inside, reader, "list counters", ListedCounters.command("ip"), true);
                read(inside, reader, "list table", "{\"nftables\":[{\"list\":{\"table\":{\"family\":\"ip\","
                        + "\"name\":\"" + NftProgram.TABLE + "\"}}}]}", false);
            } finally {
                inside.call(() -> {
                    reader.close();
                    nft.close();
                    return null;
                });
            }
        } finally {
            HostCommand.run("ip", "netns", "del", namespace).requireSuccess();
        }
    }

    private static void dump(NamespaceThread inside) throws Exception {
        long[] wall = new long[READS];
        long[] cpu = new long[READS];
        int found = 0;
        try (NftCounterDump dump = inside.call(NftCounterDump::open)) {
            for (int i = 0; i < READS; i++) {
                long start = System.nanoTime();
                long[] readCpu = new long[1];
                Map<String, LvsStats.Counter> counters = inside.call(() -> {
                    long before = THREADS.getCurrentThreadCpuTime();
                    Map<String, LvsStats.Counter> read = dump.counters("ip", NftProgram.TABLE);
                    readCpu[0] = THREADS.getCurrentThreadCpuTime() - before;
                    return read;
                });
                found = counters.size();
                cpu[i] = readCpu[0];
                wall[i] = System.nanoTime() - start;
            }
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        System.out.printf("netlink dump (the agent's read): %d reads, wall p50 %.1f ms / max %.1f ms, CPU p50 %.1f ms,"
                        + " %d counters; RSS after %d MiB; load average %s%n", READS, wall[READS / 2] / 1e6,
                wall[READS - 1] / 1e6, cpu[READS / 2] / 1e6, found, rssMiB(), loadAverage());
    }

    private static void read(NamespaceThread inside, Libnftables nft, String what, String command, boolean decode)
            throws Exception {
        long[] wall = new long[READS];
        long[] cpu = new long[READS];
        int found = 0;
        for (int i = 0; i < READS; i++) {
            long start = System.nanoTime();
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            long[] readCpu = new long[1];
            String listed = inside.call(() -> {
                long before = THREADS.getCurrentThreadCpuTime();
                String text = nft.run(command);
                readCpu[0] = THREADS.getCurrentThreadCpuTime() - before;
                return text;
            });
            if (decode) {
                found = ListedCounters.parse(listed).size();
            }
            cpu[i] = THREADS.getCurrentThreadCpuTime() - cpuStart + readCpu[0];
            wall[i] = System.nanoTime() - start;
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        System.out.printf("%s: %d reads, wall p50 %.1f ms / max %.1f ms, CPU (both threads) p50 %.1f ms%s; RSS"
                        + " after %d MiB; load average %s%n",
                what, READS, wall[READS / 2] / 1e6, wall[READS - 1] / 1e6, cpu[READS / 2] / 1e6,
                decode ? ", " + found + " counters decoded" : "", rssMiB(), loadAverage());
    }

    private static long rssMiB() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    private static String loadAverage() throws java.io.IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }
}
