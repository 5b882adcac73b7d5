package io.quorumvip.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The LAN between the agents and the ZooKeeper ensemble (node {@code zooKeeperNode}). Adverts are datagrams: lost
 * with the link's loss probability, dropped by a partition or a one-way cut. ZooKeeper traffic is a TCP stream:
 * loss costs a retransmission, and a message that meets a cut is retransmitted until the path heals or its
 * connection is abandoned.
 */
final class SimNetwork {

    private static final long MIN_DELAY_NANOS = 100_000L;
    private static final long MAX_EXTRA_DELAY_NANOS = 2_000_000L;
    private static final long RETRANSMIT_NANOS = 200_000_000L;

    private final SimScheduler scheduler;
    private final int zooKeeperNode;
    private final List<Set<Integer>> partitions = new ArrayList<>();
    private final int[][] cuts;
    private final List<double[][]> losses = new ArrayList<>();
    private final long[][] lastStreamArrival;

    SimNetwork(SimScheduler scheduler, int agents) {
        this.scheduler = scheduler;
        this.zooKeeperNode = agents;
        int nodes = agents + 1;
        this.cuts = new int[nodes][nodes];
        this.lastStreamArrival = new long[nodes][nodes];
    }

    int zooKeeperNode() {
        return zooKeeperNode;
    }

    /** One side of a partition; everything else is the other side. */
    void partition(Set<Integer> side) {
        partitions.add(side);
    }

    void heal(Set<Integer> side) {
        partitions.remove(side);
    }

    void cut(int from, int to) {
        cuts[from][to]++;
    }

    void uncut(int from, int to) {
        cuts[from][to]--;
    }

    void loss(double[][] probability) {
        losses.add(probability);
    }

    void lossEnded(double[][] probability) {
        losses.remove(probability);
    }

    boolean blocked(int from, int to) {
        if (cuts[from][to] > 0) {
            return true;
        }
        for (Set<Integer> side : partitions) {
            if (side.contains(from) != side.contains(to)) {
                return true;
            }
        }
        return false;
    }

    /** A datagram from {@code from} handled by {@code to}'s process (or the environment) when it arrives. */
    void datagram(int from, int to, int receiver, Runnable arrive) {
        Random random = scheduler.random();
        if (blocked(from, to) || random.nextDouble() < loss(from, to)) {
            return;
        }
        scheduler.after(delay(random), receiver, () -> {
            if (!blocked(from, to)) {
                arrive.run();
            }
        });
    }

    /**
     * A message on a TCP connection: delivered in order, late rather than never, unless {@code open} says the
     * connection was abandoned meanwhile.
     */
    void stream(int from, int to, int receiver, BooleanSupplier open, Runnable arrive) {
        if (!open.getAsBoolean()) {
            return;
        }
        if (blocked(from, to)) {
            scheduler.after(RETRANSMIT_NANOS, SimScheduler.ENVIRONMENT, () -> stream(from, to, receiver, open, arrive));
            return;
        }
        Random random = scheduler.random();
        long delay = delay(random) + (random.nextDouble() < loss(from, to) ? RETRANSMIT_NANOS : 0);
        long arrival = Math.max(scheduler.now() + delay, lastStreamArrival[from][to]);
        lastStreamArrival[from][to] = arrival;
        scheduler.at(arrival, receiver, () -> {
            if (open.getAsBoolean()) {
                arrive.run();
            }
        });
    }

    private double loss(int from, int to) {
        double worst = 0;
        for (double[][] probability : losses) {
            worst = Math.max(worst, probability[from][to]);
        }
        return worst;
    }

    private static long delay(Random random) {
        return MIN_DELAY_NANOS + (long) (random.nextDouble() * MAX_EXTRA_DELAY_NANOS);
    }
}
