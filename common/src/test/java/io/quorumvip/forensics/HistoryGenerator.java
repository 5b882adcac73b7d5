package io.quorumvip.forensics;

import io.quorumvip.events.Cause;
import io.quorumvip.events.CauseKind;
import io.quorumvip.events.Event;
import io.quorumvip.events.EventDraft;
import io.quorumvip.events.EventRecord;
import io.quorumvip.events.Hash256;
import io.quorumvip.events.HybridLogicalClock;
import io.quorumvip.journal.Journal;
import io.quorumvip.journal.JournalConfig;
import io.quorumvip.ownership.RoleInput;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Years of a cluster's history, generated: several nodes running one leased VRRP instance, an episode every 10 s of
 * simulated time — a hand-over, a heartbeat partition (both MASTER, the loser without the lease), a lease lapse, now
 * and then a crash and restart, a split brain of an agent without a quorum block, a configuration reload, tracker
 * noise — until every node has journaled at least the number of events asked for. Written through the real
 * {@link Journal#append} (for benchmarks: {@code main}) or kept in memory as the writer would produce the records
 * (for tests: {@link #inMemory}).
 */
public final class HistoryGenerator {

    static final long START_MICROS = 1_700_000_000_000_000L;
    static final String INSTANCE = "VI_1";
    static final String VIP = "192.0.2.200/24";
    static final int VRID = 51;
    private static final long EPISODE_MICROS = 10_000_000;
    private static final long SESSION = 0x5eed;
    private static final int LIFETIME_SECONDS = 8;

    /** Receives each node's events in that node's time order. */
    interface Sink {
        void accept(String node, EventDraft draft);
    }

    private final SplittableRandom random;
    private final List<String> nodes = new ArrayList<>();
    private final Map<String, Long> counts = new TreeMap<>();
    private final Map<String, List<EventDraft>> episode = new TreeMap<>();
    private String owner;
    private long epoch = 1000;

    HistoryGenerator(int nodeCount, long seed) {
        if (nodeCount < 2) {
            throw new IllegalArgumentException("history generator: got " + nodeCount + " nodes (expected >= 2)");
        }
        random = new SplittableRandom(seed);
        for (int i = 1; i <= nodeCount; i++) {
            nodes.add("n" + i);
            counts.put("n" + i, 0L);
        }
    }

    /** Generates episodes until every node has at least {@code eventsPerNode} events. */
    void generate(long eventsPerNode, Sink sink) {
        long t = START_MICROS;
        startCluster(t);
        flush(sink);
        while (counts.values().stream().mapToLong(Long::longValue).min().orElse(0) < eventsPerNode) {
            t += EPISODE_MICROS;
            int roll = random.nextInt(100);
            if (roll < 40) {
                handOver(t);
            } else if (roll < 65) {
                partition(t);
            } else if (roll < 85) {
                leaseLapse(t);
            } else if (roll < 90) {
                crashAndRestart(t);
            } else if (roll < 92) {
                splitBrainWithoutQuorum(t);
            } else if (roll < 93) {
                reload(t);
            } else {
                noise(t);
            }
            flush(sink);
        }
    }

    /** The records the journal writer would produce for this history, per node, without a disk. */
    static List<List<EventRecord>> inMemory(int nodeCount, long seed, long eventsPerNode) {
        Map<String, List<EventRecord>> journals = new TreeMap<>();
        Map<String, HybridLogicalClock> clocks = new TreeMap<>();
        new HistoryGenerator(nodeCount, seed).generate(eventsPerNode, (node, d) -> {
            List<EventRecord> records = journals.computeIfAbsent(node, n -> new ArrayList<>());
            long hlc = clocks.computeIfAbsent(node, n -> new HybridLogicalClock(0)).tick(d.wallMicros() / 1000);
            records.add(new EventRecord(node, records.size() + 1, d.wallMicros(), d.monoNanos(), hlc, d.leaseEpoch(),
                    d.cause(), Hash256.ZERO, d.event()));
        });
        return new ArrayList<>(journals.values());
    }

    /** Writes one journal directory per node under {@code root} through the real writer; returns the directories. */
    static List<Path> write(Path root, int nodeCount, long seed, long eventsPerNode) throws IOException {
        Map<String, Journal> journals = new TreeMap<>();
        Map<String, CompletableFuture<EventRecord>> last = new TreeMap<>();
        List<Path> dirs = new ArrayList<>();
        try {
            for (int i = 1; i <= nodeCount; i++) {
                Path dir = root.resolve("n" + i);
                dirs.add(dir);
                // The writer's wall clock is the simulated one, so retention never ages the history out while writing.
                journals.put("n" + i, Journal.open(JournalConfig.of(dir, "n" + i)
                        .withRetention(1L << 40, Duration.ofDays(36_500))));
            }
            long[] appended = {0};
            new HistoryGenerator(nodeCount, seed).generate(eventsPerNode, (node, draft) -> {
                last.put(node, journals.get(node).append(draft));
                if (++appended[0] % 50_000 == 0) {
                    last.values().forEach(CompletableFuture::join);
                }
            });
            last.values().forEach(CompletableFuture::join);
        } finally {
            for (Journal journal : journals.values()) {
                journal.close();
            }
        }
        return dirs;
    }

    /**
     * {@code HistoryGenerator DIR EVENTS_PER_NODE [NODES] [SEED]}: writes the journals of a generated history, one
     * directory per node under DIR, for {@code scripts/bench-forensics.sh}.
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: HistoryGenerator DIR EVENTS_PER_NODE [NODES (default 2)] [SEED (default 1)]");
            System.exit(2);
        }
        int nodeCount = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 1;
        write(Path.of(args[0]), nodeCount, seed, Long.parseLong(args[1]));
    }

    private void startCluster(long t) {
        for (String node : nodes) {
            config(node, t, 1);
            event(node, t + 1000, new Cause(CauseKind.STARTUP, node, 1), new Event.AgentStarted("generated"));
            role(node, t + 2000, RoleInput.INITIALIZE, RoleInput.BACKUP, Cause.timer("startup"));
        }
        owner = nodes.get(0);
        acquire(owner, t + 3_600_000);
    }

    /** BACKUP → MASTER, the lease (a new epoch) and the address, from {@code t} on. */
    private void acquire(String node, long t) {
        role(node, t, RoleInput.BACKUP, RoleInput.MASTER, Cause.timer("master_down"));
        event(node, t + 500, Cause.timer("master_down"), new Event.LeaseRequested(INSTANCE, SESSION));
        epoch++;
        leaseEvent(node, t + 20_000 + random.nextLong(30_000), Cause.leaseWatch("acquired", SESSION),
                new Event.LeaseAcquired(INSTANCE, SESSION, 0));
        leaseEvent(node, t + 60_000, Cause.leaseWatch("acquired", SESSION),
                new Event.VipBound(INSTANCE, VIP, LIFETIME_SECONDS));
    }

    /** The owner steps down (lower priority), the best backup takes over after a short gap. */
    private void handOver(long t) {
        String next = other(owner);
        event(owner, t, Cause.health("chk_nginx", -60), new Event.EffectivePriorityChanged(INSTANCE, 150, 150, 90));
        event(owner, t + 100, Cause.advert("192.0.2.12", 100), new Event.VipReleased(INSTANCE, VIP));
        leaseEvent(owner, t + 300, Cause.leaseWatch("released", SESSION), new Event.LeaseReleased(INSTANCE, SESSION));
        role(owner, t + 400, RoleInput.MASTER, RoleInput.BACKUP, Cause.advert("192.0.2.12", 100));
        acquire(next, t + 200 + random.nextLong(2_000));
        event(owner, t + 3_000_000, Cause.health("chk_nginx", 60), new Event.EffectivePriorityChanged(INSTANCE, 150, 90, 150));
        owner = next;
    }

    /** The heartbeat path splits: a backup becomes MASTER without the lease until it hears the owner again. */
    private void partition(long t) {
        String backup = other(owner);
        long heal = t + 500_000 + random.nextLong(6_000_000);
        role(backup, t, RoleInput.BACKUP, RoleInput.MASTER, Cause.timer("master_down"));
        event(backup, t + 500, Cause.timer("master_down"), new Event.LeaseRequested(INSTANCE, SESSION));
        event(backup, heal, Cause.advert("192.0.2.11", 150), new Event.NewMasterSeen(INSTANCE, "192.0.2.11", 150));
        role(backup, heal + 200, RoleInput.MASTER, RoleInput.BACKUP, Cause.advert("192.0.2.11", 150));
        event(owner, heal + 1_000, Cause.advert("192.0.2.12", 100), new Event.NewMasterSeen(INSTANCE, "192.0.2.12", 100));
    }

    /** The owner cannot confirm its lease in time: it drops the address, then wins the lease back. */
    private void leaseLapse(long t) {
        leaseEvent(owner, t, Cause.leaseWatch("validity ended", SESSION),
                new Event.LeaseConfirmationLapsed(INSTANCE, SESSION, 0));
        event(owner, t + 200, Cause.leaseWatch("validity ended", SESSION), new Event.VipReleased(INSTANCE, VIP));
        epoch++;
        long back = t + 300_000 + random.nextLong(4_000_000);
        leaseEvent(owner, back, Cause.leaseWatch("acquired", SESSION), new Event.LeaseAcquired(INSTANCE, SESSION, 0));
        leaseEvent(owner, back + 50_000, Cause.leaseWatch("acquired", SESSION),
                new Event.VipBound(INSTANCE, VIP, LIFETIME_SECONDS));
    }

    /** The owner crashes (no record); a backup takes over once the session expired; the owner restarts and cleans up. */
    private void crashAndRestart(long t) {
        String crashed = owner;
        String next = other(owner);
        acquire(next, t + 6_000_000);
        event(crashed, t + 8_000_000, new Cause(CauseKind.STARTUP, crashed, 2), new Event.AgentStarted("generated"));
        event(crashed, t + 8_100_000, new Cause(CauseKind.STARTUP, crashed, 2), new Event.VipReleased(INSTANCE, VIP));
        role(crashed, t + 8_200_000, RoleInput.INITIALIZE, RoleInput.BACKUP, Cause.timer("startup"));
        owner = next;
    }

    /** A node without a quorum block binds the address while the owner still has it: dual ownership. */
    private void splitBrainWithoutQuorum(long t) {
        String rogue = other(owner);
        long end = t + 200_000 + random.nextLong(3_000_000);
        role(rogue, t, RoleInput.BACKUP, RoleInput.MASTER, Cause.timer("master_down"));
        event(rogue, t + 1_000, Cause.timer("master_down"), new Event.VipBound(INSTANCE, VIP, 0));
        event(rogue, end, Cause.advert("192.0.2.11", 150), new Event.VipReleased(INSTANCE, VIP));
        role(rogue, end + 100, RoleInput.MASTER, RoleInput.BACKUP, Cause.advert("192.0.2.11", 150));
    }

    /** One node reloads a changed file (its hash differs until the next reload puts them level again). */
    private void reload(long t) {
        String node = nodes.get(random.nextInt(nodes.size()));
        config(node, t, 1 + random.nextInt(2));
        event(node, t + 100, Cause.operator("reload"), new Event.OperatorAction("reload", node));
    }

    /** Trackers flap on a few nodes: no incident, only records. */
    private void noise(long t) {
        for (String node : nodes) {
            boolean healthy = random.nextBoolean();
            event(node, t + random.nextLong(5_000_000), Cause.health("chk_disk", 0),
                    new Event.TrackerResultChanged("chk_disk", healthy, healthy ? "exit 0" : "exit 1"));
        }
    }

    private String other(String node) {
        String pick;
        do {
            pick = nodes.get(random.nextInt(nodes.size()));
        } while (pick.equals(node));
        return pick;
    }

    private void config(String node, long t, int hashByte) {
        byte[] hash = new byte[Hash256.LENGTH];
        hash[0] = (byte) hashByte;
        event(node, t, new Cause(CauseKind.CONFIG, "/etc/qvip/keepalived.conf", 0),
                new Event.ConfigLoaded("/etc/qvip/keepalived.conf", new Hash256(hash)));
    }

    private void role(String node, long t, RoleInput from, RoleInput to, Cause cause) {
        event(node, t, cause, new Event.VrrpStateChanged(INSTANCE, VRID, from, to));
    }

    private void leaseEvent(String node, long t, Cause cause, Event event) {
        episode.computeIfAbsent(node, n -> new ArrayList<>()).add(new EventDraft(t, t * 1000, epoch, cause, event));
    }

    private void event(String node, long t, Cause cause, Event event) {
        episode.computeIfAbsent(node, n -> new ArrayList<>()).add(EventDraft.of(t, t * 1000, cause, event));
    }

    /** Hands the episode's events to the sink, per node in time order (an episode's events interleave). */
    private void flush(Sink sink) {
        episode.forEach((node, drafts) -> {
            drafts.sort(Comparator.comparingLong(EventDraft::wallMicros));
            drafts.forEach(d -> sink.accept(node, d));
            counts.merge(node, (long) drafts.size(), Long::sum);
        });
        episode.clear();
    }
}
