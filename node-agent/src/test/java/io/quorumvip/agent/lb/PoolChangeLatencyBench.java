package io.quorumvip.agent.lb;

import io.quorumvip.agent.net.NamespaceThread;
import io.quorumvip.config.ForwardingMethod;
import io.quorumvip.config.L4Protocol;
import io.quorumvip.config.LbScheduler;
import io.quorumvip.config.RealServerConfig;
import io.quorumvip.config.SourcePosition;
import io.quorumvip.config.VirtualServerConfig;
import io.quorumvip.config.VirtualService;
import io.quorumvip.lab.HostCommand;
import io.quorumvip.lab.LabPreconditions;
import io.quorumvip.lb.ElementChange;
import io.quorumvip.lb.NftProgram;
import io.quorumvip.lb.NftProgramBuilder;
import io.quorumvip.lb.Pool;
import io.quorumvip.lb.PoolFold;
import io.quorumvip.lb.RealServerState;
import io.quorumvip.lb.ServicePlan;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Pool-change latency, check verdict → transaction applied: the pool fold, the program, its element changes (or
 * its diff, when the change is more than elements) and the data plane's transaction (an nf_tables netlink batch, or
 * libnftables), as the agent makes them, in a namespace made for the run, for a NAT virtual server of 10 and of 1,000 real
 * servers, one real server going down and up again each time. Each size and scheduler first makes {@code warmup}
 * changes that are not counted (and says so), so that the first one measured does not carry the JIT's compiling of
 * the program and diff for that size. A benchmark (not in the suite): run it with
 * {@code mvn -pl node-agent -am test -Dtest=PoolChangeLatencyBench -Dsurefire.failIfNoSpecifiedTests=false}, and
 * like the agent's launcher runs the agent with {@code '-DargLine=-Xms16m -Xmx192m -XX:NewRatio=1 -XX:MaxNewSize=48m
 * -XX:SurvivorRatio=3 -XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40 -XX:+UseSerialGC -XX:TieredStopAtLevel=1
 * -Xss512k'} (it prints the options in force and the
 * collections in the counted changes).
 */
class PoolChangeLatencyBench {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int CHANGES = Integer.getInteger("changes", 400);
    private static final int WARMUP = Integer.getInteger("warmup", 20);
    private static final int[] SIZES = Arrays.stream(System.getProperty("reals", "10,1000").split(","))
            .mapToInt(Integer::parseInt).toArray();
    private static final LbScheduler[] SCHEDULERS = Optional.ofNullable(System.getProperty("schedulers"))
            .map(list -> Arrays.stream(list.split(",")).map(n -> LbScheduler.byName(n).orElseThrow())
                    .toArray(LbScheduler[]::new))
            .orElse(new LbScheduler[]{LbScheduler.RR, LbScheduler.WRR, LbScheduler.SH, LbScheduler.MH});

    @Test
    void printPoolChangeLatency() throws Exception {
        LabPreconditions.assumeLabCanRun();
        System.out.println("JVM options: " + ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(option -> option.startsWith("-X")).toList());
        for (int reals : SIZES) {
            for (LbScheduler scheduler : SCHEDULERS) {
                measure(reals, scheduler);
            }
        }
    }

    private static void measure(int count, LbScheduler scheduler) throws Exception {
        SourcePosition here = new SourcePosition(Path.of("bench.conf"), 1, 1);
        List<RealServerConfig> reals = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            reals.add(new RealServerConfig(InetAddress.getByName("198.51.100." + (i % 250 + 1)), 1000 + i, here,
                    1 + i % 3, ForwardingMethod.NAT, false, Optional.empty(), Optional.empty(), false, List.of()));
        }
        VirtualServerConfig vs = new VirtualServerConfig(new VirtualService.Endpoint(
                InetAddress.getByName("192.0.2.220"), 80), here, L4Protocol.TCP, scheduler, ForwardingMethod.NAT,
                Optional.empty(), 1, 0, Optional.empty(), Optional.empty(), false, false, false, false, false,
                Optional.empty(), Optional.empty(), false, false, reals);
        String namespace = "qvlbb-" + ProcessHandle.current().pid();
        HostCommand.run("ip", "netns", "add", namespace).requireSuccess();
        try (NamespaceThread inside = NamespaceThread.enter(namespace)) {
            DataPlane plane = inside.call(DataPlane::libnftables);
            try {
                boolean[] alive = new boolean[count];
                Arrays.fill(alive, true);
                NftProgramBuilder.Built program = NftProgramBuilder.Built.NONE.next(plans(vs, alive));
                NftProgram applied = program.program();
                String full = applied.fullTransaction();
                long fullStart = System.nanoTime();
                inside.call(() -> {
                    plane.apply(full);
                    return null;
                });
                long fullNanos = System.nanoTime() - fullStart;
                long[] nanos = new long[CHANGES];
                long[] buildNanos = new long[CHANGES];
                long[] diffNanos = new long[CHANGES];
                long[] runNanos = new long[CHANGES];
                long[] cpuNanos = new long[CHANGES];
                long[] runCpuNanos = new long[CHANGES];
                int batches = 0;
                long gcCount = 0;
                long gcMillis = 0;
                for (int change = 0; change < WARMUP + CHANGES; change++) {
                    int i = change - WARMUP;
                    if (i == 0) {
                        gcCount = -gcCount();
                        gcMillis = -gcMillis();
                    }
                    int flipped = (change / 2 * 7) % count;
                    alive[flipped] = !alive[flipped];
                    long start = System.nanoTime();
                    long cpuStart = THREADS.getCurrentThreadCpuTime();
                    program = program.next(plans(vs, alive));
                    NftProgram next = program.program();
                    long built = System.nanoTime();
                    Optional<List<ElementChange>> elements = NftProgram.elementChanges(applied, next);
                    Optional<String> diff = elements.isPresent() ? Optional.empty() : NftProgram.diff(applied, next);
                    long diffed = System.nanoTime();
                    long computeCpu = THREADS.getCurrentThreadCpuTime() - cpuStart;
                    long runCpu = inside.call(() -> {
                        long before = THREADS.getCurrentThreadCpuTime();
                        if (elements.isPresent() && !elements.get().isEmpty()) {
                            plane.applyElements(elements.get());
                        } else if (diff.isPresent()) {
                            plane.apply(diff.get());
                        }
                        return THREADS.getCurrentThreadCpuTime() - before;
                    });
                    long end = System.nanoTime();
                    applied = next;
                    if (i < 0) {
                        continue;
                    }
                    batches += elements.isPresent() ? 1 : 0;
                    runCpuNanos[i] = runCpu;
                    cpuNanos[i] = computeCpu + runCpu;
                    nanos[i] = end - start;
                    buildNanos[i] = built - start;
                    diffNanos[i] = diffed - built;
                    runNanos[i] = end - diffed;
                }
                gcCount += gcCount();
                gcMillis += gcMillis();
                System.out.printf("pool change → applied, %s, %d real servers, %d changes (after %d uncounted"
                                + " warm-up changes), %d of them element changes alone: p50 %.2f ms, p99 %.2f ms,"
                                + " max %.2f ms; fold + program p50 %.2f / p99 %.2f ms, element changes or diff p50"
                                + " %.2f / p99 %.2f ms, applying p50 %.2f / p99 %.2f ms; whole program at start"
                                + " %.1f ms; CPU time (user + system, both threads) p50 %.2f / p99 %.2f ms, of it"
                                + " applying p50 %.2f / p99 %.2f ms; %d collections, %d ms of GC in the counted"
                                + " changes; load average %s%n",
                        scheduler.keepalivedName(), count, CHANGES, WARMUP, batches, p(nanos, 50), p(nanos, 99),
                        p(nanos, 100), p(buildNanos, 50), p(buildNanos, 99), p(diffNanos, 50), p(diffNanos, 99),
                        p(runNanos, 50), p(runNanos, 99), fullNanos / 1e6, p(cpuNanos, 50), p(cpuNanos, 99),
                        p(runCpuNanos, 50), p(runCpuNanos, 99), gcCount, gcMillis, loadAverage());
            } finally {
                inside.call(() -> {
                    plane.close();
                    return null;
                });
            }
        } finally {
            HostCommand.run("ip", "netns", "del", namespace).requireSuccess();
        }
    }

    private static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    private static String loadAverage() throws java.io.IOException {
        String[] fields = java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    /** The percentile in milliseconds (100: the maximum). */
    private static double p(long[] nanos, int percentile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)] / 1e6;
    }

    /** What the agent builds its program from, after folding the pool as the agent does. */
    private static List<ServicePlan> plans(VirtualServerConfig vs, boolean[] alive) {
        List<RealServerState> states = new ArrayList<>();
        for (int i = 0; i < alive.length; i++) {
            states.add(RealServerState.of(vs.realServers().get(i), alive[i]));
        }
        Pool pool = PoolFold.fold(vs, states, true).pool();
        return List.of(ServicePlan.of(vs, Map.of(), pool, Optional.empty(), false));
    }
}
