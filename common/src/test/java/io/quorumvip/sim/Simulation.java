package io.quorumvip.sim;

import io.quorumvip.instance.InstanceSettings;
import io.quorumvip.vrrp.VrrpConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * One seeded run: 2–3 agents with one or more instances each, a ZooKeeper ensemble and a LAN on one
 * {@link SimScheduler}; a random fault schedule; the safety check at every change of any kernel's address set, and
 * the liveness check (exactly one owner per instance) once the faults are over.
 *
 * <p><b>Real production code</b> in every agent: {@link io.quorumvip.instance.InstanceCore} per instance (the VRRP
 * state machine, the lease bookkeeping, the ownership rule, the kernel lifetimes, every timer), driven by
 * {@link SimNode} as the agent drives it. <b>Models</b>: Curator's LeaderLatch ({@link SimLatch}), the ZooKeeper
 * client ({@link SimZkClient}) and ensemble ({@link SimZooKeeper}), the network ({@link SimNetwork}) and each
 * node's kernel ({@link SimKernel}). See docs/simulation.md.
 */
final class Simulation {

    private static final long SECOND = 1_000_000_000L;
    private static final long FAULTS_FROM = 5 * SECOND;
    private static final long FAULT_WINDOW = 20 * SECOND;
    private static final int ADVERT_CENTIS = 100;
    private static final long STOP_BOUND_NANOS = 2 * SECOND;
    private static final int[] PRIORITIES = {150, 100, 50};

    private final long seed;
    private final Set<SimulationBugs> bugs;
    private final SimScheduler scheduler;
    private final SimTrace trace = new SimTrace();
    private final SimNetwork network;
    private final SimZooKeeper zooKeeper;
    private final int agentCount;
    private final long sessionTimeout;
    private final SimClock[] clocks;
    private final int instanceCount;
    private final SimKernel[][] kernels;
    private final SimNode[] agents;
    private final SimZkClient[] clients;
    private final List<List<InstanceSettings>> settings = new ArrayList<>();
    private final InetAddress[] primaryAddresses;
    private long quietFrom;
    private String violation;
    private boolean safetyViolation;
    private final boolean[][] held;
    private final int[] lastHolder;
    private final long[] lastReleaseNanos;
    private final boolean[] lastReleaseByLifetime;
    private long closestHandOverNanos = Long.MAX_VALUE;
    private long closestAfterLifetimeNanos = Long.MAX_VALUE;

    private Simulation(long seed, Set<SimulationBugs> bugs, int instanceCount) {
        this.seed = seed;
        this.bugs = Set.copyOf(bugs);
        this.instanceCount = instanceCount;
        this.scheduler = new SimScheduler(seed, PRIORITIES.length);
        Random random = scheduler.random();
        this.agentCount = 2 + random.nextInt(PRIORITIES.length - 1);
        this.sessionTimeout = (3 + random.nextInt(2)) * SECOND;
        this.network = new SimNetwork(scheduler, agentCount);
        this.zooKeeper = new SimZooKeeper(scheduler, network, driftingClock(random), trace);
        this.clocks = new SimClock[agentCount];
        this.kernels = new SimKernel[agentCount][instanceCount];
        this.agents = new SimNode[agentCount];
        this.clients = new SimZkClient[agentCount];
        this.primaryAddresses = new InetAddress[agentCount];
        this.held = new boolean[instanceCount][agentCount];
        this.lastHolder = new int[instanceCount];
        this.lastReleaseNanos = new long[instanceCount];
        this.lastReleaseByLifetime = new boolean[instanceCount];
        Arrays.fill(lastHolder, -1);
        for (int i = 0; i < agentCount; i++) {
            clocks[i] = driftingClock(random);
            primaryAddresses[i] = address(i);
            List<InstanceSettings> ofNode = new ArrayList<>();
            for (int k = 0; k < instanceCount; k++) {
                int instance = k;
                kernels[i][k] = new SimKernel("k" + i + (instanceCount > 1 ? "." + k : ""), scheduler, clocks[i],
                        trace, bugs.contains(SimulationBugs.KERNEL_LATER_THAN_ASSUMED)
                                ? SimKernel.LATE_OVERSHOOT_NANOS : SimKernel.MAX_OVERSHOOT_NANOS,
                        () -> checkSafety(instance));
                // Priorities rotate over the instances, so every node is the preferred master of some of them.
                VrrpConfig vrrp = VrrpConfig.keepalivedDefaults(1 + k % 255,
                        PRIORITIES[(i + k) % PRIORITIES.length], primaryAddresses[i]);
                ofNode.add(new InstanceSettings("VI_" + k, vrrp, true, List.of("198.51.100." + (k % 250) + "/24"),
                        List.of()));
            }
            settings.add(ofNode);
        }
    }

    static SimResult run(long seed, Set<SimulationBugs> bugs) {
        return run(seed, bugs, 1);
    }

    /** A run with {@code instances} instances on every node, each with its own latch and VIP. */
    static SimResult run(long seed, Set<SimulationBugs> bugs, int instances) {
        return new Simulation(seed, bugs, instances).run();
    }

    private SimResult run() {
        Random random = scheduler.random();
        trace.line(0, "sim", "seed " + seed + ", " + agentCount + " agents, " + instanceCount + " instances, S = "
                + sessionTimeout / SECOND + " s, bugs " + bugs);
        zooKeeper.start();
        for (int i = 0; i < agentCount; i++) {
            int node = i;
            scheduler.at((long) (random.nextDouble() * SECOND), node, () -> startAgent(node));
        }
        quietFrom = scheduleFaults(random);
        long checkAt = quietFrom + 3 * sessionTimeout + 5 * ADVERT_CENTIS * 10_000_000L;
        trace.line(0, "sim", "faults over at " + quietFrom / 1e9 + " s; liveness checked at " + checkAt / 1e9 + " s");
        scheduler.at(checkAt, SimScheduler.ENVIRONMENT, this::checkLiveness);
        scheduler.runUntil(checkAt, () -> violation != null);
        return new SimResult(seed, Optional.ofNullable(violation), safetyViolation, closestHandOverNanos,
                closestAfterLifetimeNanos, trace.hash(), scheduler.executed(), trace.tail());
    }

    /** Draws this seed's faults and returns when the last one is over. */
    private long scheduleFaults(Random random) {
        int count = 1 + random.nextInt(4);
        long quietFrom = FAULTS_FROM;
        for (int f = 0; f < count; f++) {
            long start = FAULTS_FROM + (long) (random.nextDouble() * FAULT_WINDOW);
            long duration = (long) ((0.2 + random.nextDouble() * 9.8) * SECOND);
            int kind = random.nextInt(8);
            int agent = random.nextInt(agentCount);
            long end = start + duration;
            switch (kind) {
                case 0 -> {
                    Set<Integer> side = new HashSet<>();
                    for (int n = 0; n <= agentCount; n++) {
                        if (random.nextBoolean()) {
                            side.add(n);
                        }
                    }
                    env(start, "partition " + side + " | rest", () -> network.partition(side));
                    env(end, "partition " + side + " healed", () -> network.heal(side));
                }
                case 1 -> {
                    int from = random.nextInt(agentCount + 1);
                    int to = (from + 1 + random.nextInt(agentCount)) % (agentCount + 1);
                    env(start, "one-way cut " + from + " -> " + to, () -> network.cut(from, to));
                    env(end, "one-way cut " + from + " -> " + to + " healed", () -> network.uncut(from, to));
                }
                case 2 -> {
                    double[][] loss = new double[agentCount + 1][agentCount + 1];
                    for (double[] row : loss) {
                        for (int n = 0; n < row.length; n++) {
                            row[n] = random.nextBoolean() ? random.nextDouble() * 0.9 : 0;
                        }
                    }
                    env(start, "packet loss on", () -> network.loss(loss));
                    env(end, "packet loss off", () -> network.lossEnded(loss));
                }
                case 3 -> {
                    long pause = 50_000_000L + (long) (random.nextDouble() * 2 * sessionTimeout);
                    end = start + pause;
                    env(start, "pause agent " + agent, () -> scheduler.pause(agent));
                    env(end, "resume agent " + agent, () -> scheduler.resume(agent));
                }
                case 4 -> {
                    env(start, "crash agent " + agent, () -> crash(agent));
                    env(end, "restart agent " + agent, () -> restart(agent));
                }
                case 5 -> {
                    env(start, "graceful stop of agent " + agent, () -> stop(agent));
                    env(end, "restart agent " + agent, () -> restart(agent));
                }
                case 6 -> {
                    env(start, "ZooKeeper quorum lost", zooKeeper::quorumLost);
                    env(end, "ZooKeeper quorum back", zooKeeper::quorumRestored);
                }
                default -> {
                    // A leader election: the servers stop answering and drop their connections until a new leader
                    // is elected (0.2-2.6 s, the range measured in the lab), then sessions get a fresh timeout.
                    end = start + 200_000_000L + (long) (random.nextDouble() * 2_400_000_000L);
                    env(start, "ZooKeeper leader lost: election", zooKeeper::quorumLost);
                    env(end, "ZooKeeper leader elected", zooKeeper::quorumRestored);
                }
            }
            quietFrom = Math.max(quietFrom, end);
        }
        return quietFrom;
    }

    private void env(long at, String what, Runnable action) {
        scheduler.at(at, SimScheduler.ENVIRONMENT, () -> {
            trace.line(scheduler.now(), "fault", what);
            action.run();
        });
    }

    private void startAgent(int node) {
        clients[node] = new SimZkClient("a" + node, node, scheduler, network, zooKeeper, clocks[node],
                sessionTimeout, trace);
        agents[node] = new SimNode(node, "a" + node, settings.get(node), List.of(kernels[node]), scheduler,
                clocks[node], clients[node], this::publish, trace, bugs, quietFrom);
        agents[node].start();
    }

    private void crash(int node) {
        if (agents[node] == null) {
            return;
        }
        scheduler.crash(node);
        clients[node].kill();
        agents[node].kill();
        agents[node] = null;
    }

    private void stop(int node) {
        if (agents[node] == null || scheduler.isPaused(node)) {
            return;
        }
        // The process exits once every instance stopped, or when its stop bound (as the agent's) runs out.
        SimNode stopping = agents[node];
        Runnable exit = () -> {
            if (agents[node] == stopping) {
                crash(node);
            }
        };
        stopping.shutdown(exit);
        scheduler.after(STOP_BOUND_NANOS, SimScheduler.ENVIRONMENT, exit);
    }

    private void restart(int node) {
        if (agents[node] == null) {
            scheduler.at(scheduler.now(), node, () -> startAgent(node));
        }
    }

    private void publish(int from, int instance, int priority, int advertIntervalCentis) {
        InetAddress sender = primaryAddresses[from];
        for (int to = 0; to < agentCount; to++) {
            if (to == from || agents[to] == null) {
                continue;
            }
            int receiver = to;
            network.datagram(from, to, to, () -> {
                SimNode agent = agents[receiver];
                if (agent != null) {
                    agent.onAdvert(instance, sender, priority, advertIntervalCentis);
                }
            });
        }
    }

    private void checkSafety(int instance) {
        List<Integer> holders = holders(instance);
        measureHandOver(instance);
        if (holders.size() > 1 && violation == null) {
            violation = "SAFETY: kernels of agents " + holders + " hold the VIP of instance " + instance + " at "
                    + scheduler.now() / 1e9 + " s";
            safetyViolation = true;
            trace.line(scheduler.now(), "check", violation);
        }
    }

    private void checkLiveness() {
        for (int instance = 0; instance < instanceCount; instance++) {
            List<Integer> holders = holders(instance);
            if (holders.size() != 1 && violation == null) {
                violation = "LIVENESS: " + holders.size() + " owners " + holders + " of instance " + instance
                        + " at " + scheduler.now() / 1e9 + " s, long after the faults ended";
                trace.line(scheduler.now(), "check", violation);
            }
        }
    }

    /** How soon after one kernel lost the VIP another one got it: how close a run came to two owners. */
    private void measureHandOver(int instance) {
        boolean[] was = held[instance];
        for (int i = 0; i < agentCount; i++) {
            boolean now = kernels[i][instance].holds();
            if (was[i] && !now) {
                lastHolder[instance] = i;
                lastReleaseNanos[instance] = scheduler.now();
                lastReleaseByLifetime[instance] = kernels[i][instance].lastRemovedByLifetime();
            } else if (!was[i] && now && lastHolder[instance] >= 0 && lastHolder[instance] != i) {
                long gap = scheduler.now() - lastReleaseNanos[instance];
                closestHandOverNanos = Math.min(closestHandOverNanos, gap);
                if (lastReleaseByLifetime[instance]) {
                    closestAfterLifetimeNanos = Math.min(closestAfterLifetimeNanos, gap);
                }
            }
            was[i] = now;
        }
    }

    private List<Integer> holders(int instance) {
        List<Integer> holders = new ArrayList<>();
        for (int i = 0; i < agentCount; i++) {
            if (kernels[i][instance].holds()) {
                holders.add(i);
            }
        }
        return holders;
    }

    /** A clock within ±500 ppm of true time: two of them differ in rate by at most 0.1 % (docs/safety.md). */
    private static SimClock driftingClock(Random random) {
        return new SimClock((long) (random.nextDouble() * 1_000_000 * SECOND), random.nextInt(1_001) - 500);
    }

    private static InetAddress address(int agent) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) (11 + agent)});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("192.0.2." + (11 + agent) + " is a literal address", e);
        }
    }
}
