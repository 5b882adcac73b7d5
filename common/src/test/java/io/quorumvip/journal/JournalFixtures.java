package io.quorumvip.journal;

import io.quorumvip.events.Cause;
import io.quorumvip.events.Event;
import io.quorumvip.events.EventDraft;
import io.quorumvip.events.EventRecord;
import io.quorumvip.ownership.OwnershipInputs;
import io.quorumvip.ownership.OwnershipRule;
import io.quorumvip.ownership.RoleInput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Deterministic event drafts and a reader helper for the journal tests and benchmarks. */
public final class JournalFixtures {

    public static final long START_WALL_MICROS = 1_763_700_000_000_000L;

    private JournalFixtures() {
    }

    /** The i-th event of a repeating, realistic cycle; times advance 1 ms per event. */
    public static EventDraft draft(long i) {
        long wall = START_WALL_MICROS + i * 1_000;
        long mono = 5_000_000_000L + i * 1_000_000;
        String instance = "VI_" + (i % 4);
        return switch ((int) (i % 6)) {
            case 0 -> EventDraft.of(wall, mono, Cause.advert("192.0.2.12", 150),
                    new Event.VrrpStateChanged(instance, 51, RoleInput.BACKUP, RoleInput.MASTER));
            case 1 -> new EventDraft(wall, mono, 100 + i, Cause.leaseWatch("latch", 0x1234),
                    new Event.LeaseAcquired(instance, 0x1234, mono + 2_000_000_000L));
            case 2 -> {
                var inputs = new OwnershipInputs(RoleInput.MASTER, false, true, true, mono + 2_000_000_000L, mono);
                yield new EventDraft(wall, mono, 100 + i, Cause.NONE,
                        new Event.OwnershipDecided(instance, inputs, OwnershipRule.decide(inputs)));
            }
            case 3 -> EventDraft.of(wall, mono, Cause.NONE, new Event.VipBound(instance, "192.0.2.200", 2));
            case 4 -> EventDraft.of(wall, mono, Cause.health("chk_nginx", -20),
                    new Event.EffectivePriorityChanged(instance, 150, 150, 130));
            default -> EventDraft.of(wall, mono, Cause.timer("master_down"),
                    new Event.VrrpStateChanged(instance, 51, RoleInput.MASTER, RoleInput.BACKUP));
        };
    }

    public static List<EventRecord> readAll(Path dir) throws IOException {
        List<EventRecord> records = new ArrayList<>();
        JournalReader.read(JournalReader.segmentFiles(dir), (segment, header) -> { },
                (segment, offset, record, payload, payloadOffset, length) -> records.add(record));
        return records;
    }
}
