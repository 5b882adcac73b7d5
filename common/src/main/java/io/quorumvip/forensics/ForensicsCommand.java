package io.quorumvip.forensics;

import io.quorumvip.cli.ToolMain;
import io.quorumvip.events.EventRecord;
import io.quorumvip.forensics.wire.CapturedFrame;
import io.quorumvip.forensics.wire.PcapFiles;
import io.quorumvip.forensics.wire.WireEvidence;
import io.quorumvip.journal.JournalDamageException;
import io.quorumvip.journal.JournalReader;
import io.quorumvip.journal.JournalRecords;
import io.quorumvip.journal.TimeArgument;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
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

    /**
     * Where a streamed JSON report goes as UTF-8 bytes, or null to write it to picocli's out (tests): gigabytes
     * of report cost half the CPU this way (see {@link JsonReport.Stream#Stream(OutputStream, ForensicsSettings, boolean)}).
     */
    private final OutputStream jsonOut;

    public ForensicsCommand() {
        this(null);
    }

    ForensicsCommand(OutputStream jsonOut) {
        this.jsonOut = jsonOut;
    }

    public static void main(String[] args) {
        // Standard output itself, not System.out: that one flushes every write it is given, 8 KB at a time.
        OutputStream stdout = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        System.exit(ToolMain.execute("forensics", new ForensicsCommand(stdout), args));
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
            WireEvidence wire = readCaptures(err);
            Function<Incident, List<String>> wireLines = incident -> wire.lines(incident, settings);
            if (html != null || pcap != null) {
                return inMemory(settings, wire, wireLines, out, err);
            }
            return streamed(settings, captures.isEmpty() ? null : wireLines, out, err);
        } catch (IllegalArgumentException e) {
            err.println("qvip forensics: " + e.getMessage());
            return BAD_INPUT;
        } catch (JournalDamageException e) {
            err.println("qvip forensics: damaged journal: " + e.getMessage() + " (check it with qvip replay --verify)");
            return BAD_INPUT;
        } catch (IOException e) {
            err.println("qvip forensics: cannot read or write: " + e.getMessage());
            return BAD_INPUT;
        } catch (UncheckedIOException e) {
            err.println("qvip forensics: cannot read or write: " + e.getMessage());
            return BAD_INPUT;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * Text and JSON: the journals read record by record and merged as they go, each incident written once settled,
     * in memory bounded by what is open (see docs/forensics.md, "Years of history").
     */
    private int streamed(ForensicsSettings settings, Function<Incident, List<String>> wire, PrintWriter out,
                         PrintWriter err) throws IOException {
        List<JournalRecords> journals = new ArrayList<>();
        List<ReadAhead> inputs = new ArrayList<>();
        try {
            for (Path dir : dirs) {
                JournalRecords journal = open(dir);
                journals.add(journal);
                inputs.add(new ReadAhead(journal, dir.toString()));
            }
            List<String> names = dirs.stream().map(Path::toString).toList();
            Forensics.Summary summary;
            if (json) {
                out.flush();
                Path spool = Path.of(System.getProperty("java.io.tmpdir"));
                try (JsonReport.Stream report = jsonOut == null ? new JsonReport.Stream(out, settings, spool)
                        : new JsonReport.Stream(jsonOut, settings, spool)) {
                    summary = analyse(inputs, names, settings, new Forensics.Listener() {
                        @Override
                        public void interval(Interval interval) {
                            report.interval(interval);
                        }

                        @Override
                        public void incident(Incident incident) {
                            report.incident(incident, wire == null ? null : wire.apply(incident));
                        }
                    });
                    report.finish(summary, List.of());
                }
                if (jsonOut == null) {
                    out.println();
                } else {
                    jsonOut.write(System.lineSeparator().getBytes(StandardCharsets.UTF_8));
                    jsonOut.flush();
                }
            } else {
                TextReport.Stream report = new TextReport.Stream(out, settings,
                        "each once its end is known, so not sorted by start", wire == null ? i -> List.of() : wire);
                summary = analyse(inputs, names, settings, new Forensics.Listener() {
                    @Override
                    public void interval(Interval interval) {
                    }

                    @Override
                    public void incident(Incident incident) {
                        report.incident(incident);
                    }
                });
                report.finish(summary);
            }
            for (int i = 0; i < journals.size(); i++) {
                Path dir = dirs.get(i);
                journals.get(i).tornTail().ifPresent(torn -> err.println("note: " + dir + ": " + torn
                        + " (a writer crashed; read up to it)"));
                if (journals.get(i).count() == 0) {
                    err.println("note: " + dir + " holds no records");
                }
            }
            return summary.splitBrain() ? FINDING : OK;
        } finally {
            for (ReadAhead input : inputs) {
                input.close();
            }
            for (JournalRecords journal : journals) {
                journal.close();
            }
        }
    }

    /**
     * The streamed analysis on three threads: the journals decoded ahead ({@link ReadAhead}), the sweep on this one,
     * the report written behind it ({@link WriteBehind}) and finished on this one once all was written.
     */
    private static Forensics.Summary analyse(List<ReadAhead> inputs, List<String> names, ForensicsSettings settings,
                                             Forensics.Listener report) {
        try (WriteBehind behind = new WriteBehind(report)) {
            Forensics.Summary summary = Forensics.stream(List.copyOf(inputs), names, settings, behind);
            behind.finish();
            return summary;
        }
    }

    private static JournalRecords open(Path dir) throws IOException {
        try {
            return JournalRecords.open(dir);
        } catch (IOException e) {
            throw new IOException("journal " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The timeline and the pcap export: every record and incident held at once (the page draws every interval). */
    private int inMemory(ForensicsSettings settings, WireEvidence wire, Function<Incident, List<String>> wireLines,
                         PrintWriter out, PrintWriter err) throws IOException {
        List<List<EventRecord>> journals = new ArrayList<>();
        for (Path dir : dirs) {
            try {
                journals.add(read(dir, err));
            } catch (IOException e) {
                throw new IOException("journal " + dir + ": " + e.getMessage(), e);
            }
        }
        ForensicsReport report = Forensics.analyze(journals, settings);
        if (pcap != null) {
            List<CapturedFrame> frames = wire.framesOf(report.incidents(), settings);
            PcapFiles.write(pcap, frames);
            err.println("note: wrote " + frames.size() + " frame(s) of the incidents' windows to " + pcap);
        }
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
