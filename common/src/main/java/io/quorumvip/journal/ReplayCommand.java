package io.quorumvip.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quorumvip.cli.ToolMain;
import io.quorumvip.events.Event;
import io.quorumvip.events.EventRecord;
import io.quorumvip.events.HybridLogicalClock;
import io.quorumvip.lb.LbEventText;
import io.quorumvip.replay.ClusterView;
import io.quorumvip.replay.InstanceView;
import io.quorumvip.replay.NodeView;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code qvip replay}: state at an instant, full verification, or JSON-lines export of node journals. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replay node journals: state per node and instance at an instant, --verify, or --export jsonl.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:ok", "1:finding (verification failure, damaged journal)",
                "2:bad usage, unreadable input, or replay failed itself (out of memory): never a result"})
public final class ReplayCommand implements Callable<Integer> {

    static final int OK = 0;
    static final int FINDING = 1;
    static final int BAD_INPUT = 2;

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "journal directories (one per node)")
    private List<Path> dirs;

    @Option(names = "--at", paramLabel = "TIME",
            description = "instant: ISO-8601 (2026-11-21T03:12:07.250Z) or epoch milliseconds; compared with HLC stamps")
    private String at;

    @Option(names = "--node", paramLabel = "N", description = "only this node")
    private String node;

    @Option(names = "--json", description = "print the state as JSON")
    private boolean json;

    @Option(names = "--verify", description = "check CRCs, the hash chain, sequences and every ownership decision")
    private boolean verify;

    @Option(names = "--export", paramLabel = "FORMAT", description = "write every event, one JSON object per line (jsonl)")
    private String export;

    @Option(names = "--from", paramLabel = "TIME", description = "with --export: only events at or after TIME (HLC)")
    private String from;

    @Option(names = "--to", paramLabel = "TIME", description = "with --export: only events up to the end of TIME (HLC)")
    private String to;

    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static void main(String[] args) {
        System.exit(ToolMain.execute("replay", new ReplayCommand(), args));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long hlcLimit;
        long hlcFrom;
        try {
            hlcLimit = at == null ? Long.MAX_VALUE : HybridLogicalClock.endOfMillis(TimeArgument.parseMillis("--at", at));
            hlcFrom = from == null ? 0 : HybridLogicalClock.of(TimeArgument.parseMillis("--from", from), 0);
            if (to != null) {
                hlcLimit = Math.min(hlcLimit, HybridLogicalClock.endOfMillis(TimeArgument.parseMillis("--to", to)));
            }
            if ((from != null || to != null) && export == null) {
                throw new IllegalArgumentException("--from/--to select what --export writes (expected --export jsonl; "
                        + "the state at an instant is --at, and --verify always checks everything)");
            }
        } catch (IllegalArgumentException e) {
            err.println("qvip replay: " + e.getMessage());
            return BAD_INPUT;
        }
        if (export != null && !export.equals("jsonl")) {
            err.println("qvip replay: --export got '" + export + "' (expected jsonl)");
            return BAD_INPUT;
        }
        try {
            if (verify) {
                return verify(out);
            }
            if (export != null) {
                return export(out, hlcFrom, hlcLimit);
            }
            return printState(out, err, hlcLimit);
        } catch (JournalDamageException e) {
            err.println("qvip replay: damaged journal: " + e.getMessage());
            return FINDING;
        } catch (IOException | UncheckedIOException e) {
            err.println("qvip replay: cannot read: " + e.getMessage());
            return BAD_INPUT;
        } finally {
            out.flush();
            err.flush();
        }
    }


    private int verify(PrintWriter out) throws IOException {
        JournalVerifier.Result result = JournalVerifier.verify(dirs);
        result.tornTails().forEach(torn -> out.println("note: " + torn + " (a writer crashed; it is cut when the journal reopens)"));
        if (result.findings().isEmpty()) {
            out.println("ok: " + result.records() + " records verified in " + dirs.size() + " journal(s)");
            return OK;
        }
        result.findings().forEach(finding -> out.println("FINDING: " + finding));
        return FINDING;
    }

    private int export(PrintWriter out, long hlcFrom, long hlcLimit) throws IOException {
        ObjectMapper line = new ObjectMapper();
        for (Path dir : dirs) {
            JournalReader.Outcome outcome = JournalReader.read(JournalReader.segmentFiles(dir), (s, h) -> { },
                    (segment, offset, record, payload, payloadOffset, length) -> {
                        if (record.hlc() > hlcLimit) {
                            return false;
                        }
                        if (record.hlc() >= hlcFrom && (node == null || node.equals(record.node()))) {
                            try {
                                out.println(line.writeValueAsString(toJson(line, record)));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }
                        return true;
                    });
            outcome.tornTail().ifPresent(torn -> spec.commandLine().getErr().println("note: " + torn));
        }
        return OK;
    }

    /** One record as the JSON object {@code --export jsonl} prints per line (the coordinator serves the same shape). */
    public static ObjectNode toJson(ObjectMapper mapper, EventRecord record) {
        ObjectNode json = mapper.createObjectNode();
        json.put("node", record.node());
        json.put("seq", record.seq());
        json.put("wall", Instant.EPOCH.plusNanos(record.wallMicros() * 1000).toString());
        json.put("wall_micros", record.wallMicros());
        json.put("mono_nanos", record.monoNanos());
        json.put("hlc", record.hlc());
        json.put("lease_epoch", record.leaseEpoch());
        ObjectNode cause = json.putObject("cause");
        cause.put("kind", record.cause().kind().name());
        cause.put("subject", record.cause().subject());
        cause.put("value", record.cause().value());
        json.put("previous_hash", record.previousHash().toHex());
        json.put("type", record.event().type().name());
        json.set("event", mapper.valueToTree(record.event()));
        return json;
    }

    private int printState(PrintWriter out, PrintWriter err, long hlcLimit) throws IOException {
        Replay.Result result = Replay.stateAt(dirs, hlcLimit);
        result.notes().forEach(note -> err.println("note: " + note));
        Map<String, NodeView> nodes = new TreeMap<>(result.view().nodes());
        if (node != null) {
            nodes.keySet().retainAll(List.of(node));
            if (nodes.isEmpty()) {
                err.println("qvip replay: --node got '" + node + "' (expected one of " + result.view().nodes().keySet() + ")");
                return BAD_INPUT;
            }
        }
        if (json) {
            ObjectNode root = mapper.createObjectNode();
            root.put("at", at == null ? null : Instant.ofEpochMilli(HybridLogicalClock.physicalMillis(hlcLimit)).toString());
            root.set("nodes", mapper.valueToTree(new ClusterView(nodes).nodes()));
            out.println(mapper.writeValueAsString(root));
            return OK;
        }
        for (NodeView view : nodes.values()) {
            out.printf("node %s  seq %d  last event %s  %s%n", view.node(), view.lastSeq(),
                    Instant.EPOCH.plusNanos(view.lastWallMicros() * 1000), view.running() ? "running" : "stopped");
            for (InstanceView instance : view.instances().values()) {
                out.printf("  %-12s vrid %-3d %-10s priority %d/%d  lease %s epoch %d  vip %s %s  last decision %s%n",
                        instance.name(), instance.vrid(), instance.state(), instance.effectivePriority(),
                        instance.basePriority(), instance.lease(), instance.leaseEpoch(),
                        instance.vipOwned() ? "owned" : "not owned", instance.vips(), instance.lastOwnershipDecision());
            }
            view.pools().forEach((name, pool) -> out.printf("  pool %-24s generation %-4d quorum %-4s %s%s%s%n", name,
                    pool.generation(), pool.quorumUp() ? "up" : "lost",
                    LbEventText.members(new Event.PoolChanged(name, pool.generation(), pool.members())),
                    pool.sorryServing() ? "  sorry server serving" : "",
                    pool.downReal().isEmpty() ? "" : "  down: " + String.join(", ", pool.downReal())));
            view.syncGroups().forEach((group, state) -> out.printf("  sync group %-12s %s%n", group, state));
            view.routing().forEach((owner, entries) -> out.printf("  routing of %-12s %s%n", owner, entries));
        }
        return OK;
    }
}
