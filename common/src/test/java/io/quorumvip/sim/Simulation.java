package io.quorumvip.sim;

import io.quorumvip.vrrp.VrrpConfig;
import io.quorumvip.vrrp.VrrpStateMachine;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * One seeded run: 2–3 agents, a ZooKeeper ensemble and a LAN on one {@link SimScheduler}; a random fault schedule;
 * the safety check at every change of any kernel's address set, and the liveness check once the faults are over.
 *
 * <p><b>Real production code</b> in every agent: {@link VrrpStateMachine} (with its inputs, outputs and timers),
 * {@link io.quorumvip.ownership.OwnershipRule}, {@link io.quorumvip.lease.LeaseValidity} and
 * {@link io.quorumvip.lease.LeaseTiming}. <b>Models</b>: the glue of node-agent's InstanceRunner and VipEffector
 * ({@link SimAgent}), its LeaseKeeper with Curator's LeaderLatch ({@link SimLeaseKeeper}), the ZooKeeper client
 * ({@link SimZkClient}) and ensemble ({@link SimZooKeeper}), the network ({@link SimNetwork}) and each node's kernel
 * ({@link SimKernel}). See docs/simulation.md.
 */
final class Simulation {

    private static final long SECOND = 1_000_000_000L;
    private static final long FAULTS_FROM = 5 * SECOND;
    private static final long FAULT_WINDOW = 20 * SECOND;
    private static final int ADVERT_CENTIS = 100;
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
    private final SimKernel[] kernels;
    private final SimAgent[] agents;
    private final SimZkClient[] clients;
    private final VrrpConfig[] configs;
    private String violation;
    private boolean safetyViolation;
    private final boolean[] held;
    private int lastHolder = -1;
    private long lastReleaseNanos;
    private boolean lastReleaseByLifetime;
    private long closestHandOverNanos = Long.MAX_VALUE;
    private long closestAfterLifetimeNanos = Long.MAX_VALUE;

    private Simulation(long seed, Set<SimulationBugs> bugs) {
        this.seed = seed;
        this.bugs = Set.copyOf(bugs);
        this.scheduler = new SimScheduler(seed, PRIORITIES.length);
        Random random = scheduler.random();
        this.agentCount = 2 + random.nextInt(PRIORITIES.length - 1);
        this.sessionTimeout = (3 + random.nextInt(2)) * SECOND;
        this.network = new SimNetwork(scheduler, agentCount);
        this.zooKeeper = new SimZooKeeper(scheduler, network, driftingClock(random), trace);
        this.clocks = new SimClock[agentCount];
        this.kernels = new SimKernel[agentCount];
        this.agents = new SimAgent[agentCount];
        this.clients = new SimZkClient[agentCount];
        this.configs = new VrrpConfig[agentCount];
        this.held = new boolean[agentCount];
        for (int i = 0; i < agentCount; i++) {
            clocks[i] = driftingClock(random);
            kernels[i] = new SimKernel(i, scheduler, clocks[i], trace,
                    bugs.contains(SimulationBugs.KERNEL_LATER_THAN_ASSUMED) ? SimKernel.LATE_OVERSHOOT_NANOS
                            : SimKernel.MAX_OVERSHOOT_NANOS, this::checkSafety);
            configs[i] = VrrpConfig.keepalivedDefaults(51, PRIORITIES[i], address(i));
        }
    }

    static SimResult run(long seed, Set<SimulationBugs> bugs) {
        return new Simulation(seed, bugs).run();
    }

    private SimResult run() {
        Random random = scheduler.random();
        trace.line(0, "sim", "seed " + seed + ", " + agentCount + " agents, S = " + sessionTimeout / SECOND
                + " s, bugs " + bugs);
        zooKeeper.start();
        for (int i = 0; i < agentCount; i++) {
            int node = i;
            scheduler.at((long) (random.nextDouble() * SECOND), node, () -> startAgent(node));
        }
        long quietFrom = scheduleFaults(random);
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
            int kind = random.nextInt(7);
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
                default -> {
                    env(start, "ZooKeeper quorum lost", zooKeeper::quorumLost);
                    env(end, "ZooKeeper quorum back", zooKeeper::quorumRestored);
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
        agents[node] = new SimAgent(node, "a" + node, new VrrpStateMachine(configs[node]), scheduler, clocks[node],
                kernels[node], clients[node], this::publish, trace, bugs);
        agents[node].start();
    }

    private void crash(int node) {
        if (agents[node] == null) {
            return;
        }
        scheduler.crash(node);
        clients[node].kill();
        agents[node] = null;
    }

    private void stop(int node) {
        if (agents[node] == null || scheduler.isPaused(node)) {
            return;
        }
        agents[node].shutdown();
        scheduler.after(50_000_000L, SimScheduler.ENVIRONMENT, () -> crash(node));
    }

    private void restart(int node) {
        if (agents[node] == null) {
            scheduler.at(scheduler.now(), node, () -> startAgent(node));
        }
    }

    private void publish(int from, int priority, int advertIntervalCentis) {
        InetAddress sender = configs[from].primaryAddress();
        for (int to = 0; to < agentCount; to++) {
            if (to == from || agents[to] == null) {
                continue;
            }
            int receiver = to;
            network.datagram(from, to, to, () -> {
                SimAgent agent = agents[receiver];
                if (agent != null) {
                    agent.onAdvert(sender, priority, advertIntervalCentis);
                }
            });
        }
    }

    private void checkSafety() {
        List<Integer> holders = holders();
        measureHandOver();
        if (holders.size() > 1 && violation == null) {
            violation = "SAFETY: kernels of agents " + holders + " hold the VIP at " + scheduler.now() / 1e9 + " s";
            safetyViolation = true;
            trace.line(scheduler.now(), "check", violation);
        }
    }

    private void checkLiveness() {
        List<Integer> holders = holders();
        if (holders.size() != 1 && violation == null) {
            violation = "LIVENESS: " + holders.size() + " owners " + holders + " at " + scheduler.now() / 1e9
                    + " s, long after the faults ended";
            trace.line(scheduler.now(), "check", violation);
        }
    }

    /** How soon after one kernel lost the VIP another one got it: how close a run came to two owners. */
    private void measureHandOver() {
        for (int i = 0; i < agentCount; i++) {
            boolean now = kernels[i].holds();
            if (held[i] && !now) {
                lastHolder = i;
                lastReleaseNanos = scheduler.now();
                lastReleaseByLifetime = kernels[i].lastRemovedByLifetime();
            } else if (!held[i] && now && lastHolder >= 0 && lastHolder != i) {
                long gap = scheduler.now() - lastReleaseNanos;
                closestHandOverNanos = Math.min(closestHandOverNanos, gap);
                if (lastReleaseByLifetime) {
                    closestAfterLifetimeNanos = Math.min(closestAfterLifetimeNanos, gap);
                }
            }
            held[i] = now;
        }
    }

    private List<Integer> holders() {
        List<Integer> holders = new ArrayList<>();
        for (int i = 0; i < agentCount; i++) {
            if (kernels[i].holds()) {
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
