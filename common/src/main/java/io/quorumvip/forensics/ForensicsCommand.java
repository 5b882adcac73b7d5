package io.quorumvip.forensics;

import io.quorumvip.cli.ToolMain;
import io.quorumvip.events.EventRecord;
import io.quorumvip.forensics.wire.CapturedFrame;
import io.quorumvip.forensics.wire.PcapFiles;
import io.quorumvip.forensics.wire.WireEvidence;
import io.quorumvip.journal.JournalDamageException;
import io.quorumvip.journal.JournalReader;
import io.quorumvip.journal.TimeArgument;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code qvip forensics}: incidents in the merged journals of all nodes, as text, JSON or an HTML timeline. */
@Command(name = "forensics", mixinStandardHelpOptions = true,
        description = "Find split brain (dual ownership), dual VRRP masters, lease/VRRP disagreement, outages and "
                + "configuration differences in the merged journals of all nodes.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:no dual ownership", "1:dual ownership found (a finding)",
                "2:bad usage, unreadable input, or forensics failed itself (out of memory): never a result"})
public final class ForensicsCommand implements Callable<Integer> {

    static final int OK = 0;
    static final int FINDING = 1;
    static final int BAD_INPUT = 2;

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "journal directories (one per node)")
    private List<Path> dirs;

    @Option(names = "--from", paramLabel = "TIME", description = "only incidents ending at or after TIME (ISO-8601 or epoch ms)")
    private String from;

    @Option(names = "--to", paramLabel = "TIME", description = "only incidents starting at or before TIME (ISO-8601 or epoch ms)")
    private String to;

    @Option(names = "--json", description = "print the report as JSON")
    private boolean json;

    @Option(names = "--html", paramLabel = "FILE", description = "write a self-contained HTML timeline to FILE")
    private Path html;

    @Option(names = "--captures", arity = "1..*", paramLabel = "DIR",
            description = "capture directories of the agents (pcap files): show what was on the wire in each "
                    + "incident's window (put them after the journal directories)")
    private List<Path> captures = List.of();

    @Option(names = "--pcap", paramLabel = "FILE",
            description = "write the captured frames of every reported incident's window to FILE (classic pcap)")
    private Path pcap;

    @Option(names = "--clock-uncertainty", paramLabel = "MS", defaultValue = "50",
            description = "the most two nodes' clocks may differ, in ms (default ${DEFAULT-VALUE})")
    private long clockUncertaintyMillis;

    @Option(names = "--lease-grace", paramLabel = "MS", defaultValue = "3000",
            description = "how long lease and VRRP role may disagree before it is an incident, in ms (default ${DEFAULT-VALUE})")
    private long leaseGraceMillis;

    public static void main(String[] args) {
        System.exit(ToolMain.execute("forensics", new ForensicsCommand(), args));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (json && html != null) {
                throw new IllegalArgumentException("--json and --html FILE both given (expected at most one of them)");
            }
            ForensicsSettings settings = ForensicsSettings.DEFAULT
                    .withClockUncertaintyMicros(nonNegative("--clock-uncertainty", clockUncertaintyMillis) * 1000)
                    .withLeaseGraceMicros(nonNegative("--lease-grace", leaseGraceMillis) * 1000)
                    .withWindow(from == null ? Long.MIN_VALUE : TimeArgument.parseMillis("--from", from) * 1000,
                            to == null ? Long.MAX_VALUE : TimeArgument.parseMillis("--to", to) * 1000 + 999);
            List<List<EventRecord>> journals = new ArrayList<>();
            for (Path dir : dirs) {
                try {
                    journals.add(read(dir, err));
                } catch (IOException e) {
                    throw new IOException("journal " + dir + ": " + e.getMessage(), e);
                }
            }
            ForensicsReport report = Forensics.analyze(journals, settings);
            WireEvidence wire = readCaptures(err);
            if (pcap != null) {
                List<CapturedFrame> frames = wire.framesOf(report.incidents(), settings);
                PcapFiles.write(pcap, frames);
                err.println("note: wrote " + frames.size() + " frame(s) of the incidents' windows to " + pcap);
            }
            Function<Incident, List<String>> wireLines = incident -> wire.lines(incident, settings);
            if (json) {
                JsonReport.write(report, out, captures.isEmpty() ? null : wireLines);
                out.println();
            } else if (html != null) {
                Files.writeString(html, HtmlTimeline.render(report), StandardCharsets.UTF_8);
                out.println("wrote " + html + ": " + report.incidents().size() + " incident(s)"
                        + (report.splitBrain() ? ", dual ownership found" : ", no dual ownership"));
            } else {
                TextReport.write(report, out, captures.isEmpty() ? incident -> List.of() : wireLines);
            }
            return report.splitBrain() ? FINDING : OK;
        } catch (IllegalArgumentException e) {
            err.println("qvip forensics: " + e.getMessage());
            return BAD_INPUT;
        } catch (JournalDamageException e) {
            err.println("qvip forensics: damaged journal: " + e.getMessage() + " (check it with qvip replay --verify)");
            return BAD_INPUT;
        } catch (IOException e) {
            err.println("qvip forensics: cannot read or write: " + e.getMessage());
            return BAD_INPUT;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private WireEvidence readCaptures(PrintWriter err) throws IOException {
        if (pcap != null && captures.isEmpty()) {
            throw new IllegalArgumentException("--pcap " + pcap + " given without --captures DIR (expected the "
                    + "agents' capture directories to take the frames from)");
        }
        WireEvidence wire = WireEvidence.of(PcapFiles.readDirectories(captures));
        if (!captures.isEmpty() && wire.size() == 0) {
            err.println("note: the capture directories hold no VRRP, ARP or neighbour advertisement frames");
        }
        return wire;
    }

    private static List<EventRecord> read(Path dir, PrintWriter err) throws IOException {
        List<EventRecord> records = new ArrayList<>();
        CompactRecords compact = new CompactRecords();
        JournalReader.Outcome outcome = JournalReader.read(JournalReader.segmentFiles(dir), (s, h) -> { },
                (segment, offset, record, payload, payloadOffset, length) -> records.add(compact.compact(record)));
        outcome.tornTail().ifPresent(torn -> err.println("note: " + torn + " (a writer crashed; read up to it)"));
        if (records.isEmpty()) {
            err.println("note: " + dir + " holds no records");
        }
        return records;
    }

    private static long nonNegative(String option, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(option + " got " + value + " (expected >= 0 ms)");
        }
        return value;
    }

}
