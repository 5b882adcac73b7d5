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
import io.quorumvip.journal.JournalReader;
import io.quorumvip.ownership.RoleInput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A cluster's story written as per-node events at times in ms after a fixed start; turned into journals with the
 * real writer ({@link #write}) or into records in memory for property tests ({@link #inMemory}).
 */
final class ClusterScript {

    static final long START_MILLIS = 1_763_700_000_000L;
    static final String VIP = "192.0.2.200/24";
    static final String INSTANCE = "VI_1";
    static final int VRID = 51;

    private final Map<String, List<EventDraft>> drafts = new TreeMap<>();

    static long micros(long ms) {
        return (START_MILLIS + ms) * 1000;
    }

    ClusterScript event(String node, long ms, long epoch, Cause cause, Event event) {
        drafts.computeIfAbsent(node, n -> new ArrayList<>())
                .add(new EventDraft(micros(ms), ms * 1_000_000L, epoch, cause, event));
        return this;
    }

    ClusterScript started(String node, long ms) {
        return event(node, ms, 0, new Cause(CauseKind.STARTUP, node, 1), new Event.AgentStarted("test"));
    }

    ClusterScript stopped(String node, long ms) {
        return event(node, ms, 0, new Cause(CauseKind.SHUTDOWN, "signal", 0), new Event.AgentStopped("stopped by signal"));
    }

    ClusterScript config(String node, long ms, int hashByte) {
        byte[] hash = new byte[Hash256.LENGTH];
        hash[0] = (byte) hashByte;
        return event(node, ms, 0, new Cause(CauseKind.CONFIG, "/etc/qvip/" + node + ".conf", 0),
                new Event.ConfigLoaded("/etc/qvip/" + node + ".conf", new Hash256(hash)));
    }

    ClusterScript role(String node, long ms, RoleInput from, RoleInput to, Cause cause) {
        return event(node, ms, 0, cause, new Event.VrrpStateChanged(INSTANCE, VRID, from, to));
    }

    ClusterScript master(String node, long ms) {
        return role(node, ms, RoleInput.BACKUP, RoleInput.MASTER, Cause.timer("master_down"));
    }

    ClusterScript backup(String node, long ms) {
        return role(node, ms, RoleInput.MASTER, RoleInput.BACKUP, Cause.advert("192.0.2.11", 150));
    }

    ClusterScript leaseRequested(String node, long ms) {
        return event(node, ms, 0, Cause.timer("master_down"), new Event.LeaseRequested(INSTANCE, 0x5eed));
    }

    ClusterScript leaseAcquired(String node, long ms, long epoch) {
        return event(node, ms, epoch, Cause.leaseWatch("acquired", 0x5eed), new Event.LeaseAcquired(INSTANCE, 0x5eed, 0));
    }

    ClusterScript leaseLost(String node, long ms, long epoch) {
        return event(node, ms, epoch, new Cause(CauseKind.LEASE_WATCH, "SESSION_LOST", 0x5eed),
                new Event.LeaseLost(INSTANCE, 0x5eed));
    }

    ClusterScript leaseReleased(String node, long ms, long epoch) {
        return event(node, ms, epoch, Cause.leaseWatch("released", 0x5eed), new Event.LeaseReleased(INSTANCE, 0x5eed));
    }

    ClusterScript bound(String node, long ms, int lifetimeSeconds) {
        return event(node, ms, 0, Cause.timer("master_down"), new Event.VipBound(INSTANCE, VIP, lifetimeSeconds));
    }

    ClusterScript released(String node, long ms) {
        return event(node, ms, 0, Cause.NONE, new Event.VipReleased(INSTANCE, VIP));
    }

    /** The agent found the address already removed by its kernel, whose lifetime ended at {@code endedMs}. */
    ClusterScript expired(String node, long ms, long endedMs) {
        return event(node, ms, 0, Cause.leaseWatch("validity ended", 0),
                new Event.VipReleased(INSTANCE, VIP, micros(endedMs)));
    }

    ClusterScript masterSeen(String node, long ms, String address) {
        return event(node, ms, 0, Cause.advert(address, 100), new Event.NewMasterSeen(INSTANCE, address, 100));
    }

    /** A node that starts, wins VRRP and binds the address (no lease, no lifetime: an agent without a quorum block). */
    ClusterScript ownerWithoutQuorum(String node, long ms) {
        return started(node, ms).master(node, ms + 1).bound(node, ms + 2, 0);
    }

    /** One journal directory per node under {@code root}, written and fsynced by the real journal writer. */
    List<Path> write(Path root) throws IOException {
        List<Path> dirs = new ArrayList<>();
        for (var entry : drafts.entrySet()) {
            Path dir = root.resolve(entry.getKey());
            try (Journal journal = Journal.open(JournalConfig.of(dir, entry.getKey()))) {
                for (EventDraft draft : entry.getValue()) {
                    journal.appendDurably(draft);
                }
            }
            dirs.add(dir);
        }
        return dirs;
    }

    /** The journals as written to {@code root} and read back. */
    List<List<EventRecord>> writeAndRead(Path root) throws IOException {
        List<List<EventRecord>> journals = new ArrayList<>();
        for (Path dir : write(root)) {
            List<EventRecord> records = new ArrayList<>();
            JournalReader.read(JournalReader.segmentFiles(dir), (s, h) -> { },
                    (segment, offset, record, payload, at, length) -> records.add(record));
            journals.add(records);
        }
        return journals;
    }

    /** The records the writer would produce (sequence, HLC from the wall time), without touching a disk. */
    List<List<EventRecord>> inMemory() {
        List<List<EventRecord>> journals = new ArrayList<>();
        drafts.forEach((node, list) -> {
            HybridLogicalClock hlc = new HybridLogicalClock(0);
            List<EventRecord> records = new ArrayList<>();
            long seq = 1;
            for (EventDraft d : list) {
                records.add(new EventRecord(node, seq++, d.wallMicros(), d.monoNanos(), hlc.tick(d.wallMicros() / 1000),
                        d.leaseEpoch(), d.cause(), Hash256.ZERO, d.event()));
            }
            journals.add(records);
        });
        return journals;
    }
}
