package io.quorumvip.config;

import io.quorumvip.script.LocalScriptHost;
import io.quorumvip.script.ScriptAudit;
import io.quorumvip.script.ScriptHost;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code qvip lint FILE...}: checks keepalived.conf files, one per node of a cluster, each alone and then against
 * each other. Prints {@code FILE:LINE:COL: error: MESSAGE (hint)} per file, then the cross-file findings, then a
 * summary; {@code --format json} prints every finding as one JSON array instead (see {@link LintJson}). Exit status:
 * 0 clean, 1 any finding, 2 bad usage or a file that cannot be read.
 */
@Command(name = "lint",
        description = "Check keepalived.conf files (one per node) alone and against each other.",
        exitCodeOnInvalidInput = LintCommand.BAD_INPUT,
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {"0:no finding", "1:errors or warnings found", "2:bad usage or unreadable file"})
public final class LintCommand implements Callable<Integer> {

    static final int CLEAN = 0;
    static final int FINDINGS = 1;
    static final int BAD_INPUT = 2;


    @Parameters(arity = "1..*", paramLabel = "FILE", description = "keepalived.conf files, one per node")
    private List<Path> files;

    @Option(names = {"-i", "--config-id"}, paramLabel = "ID",
            description = "keepalived config id for @ID lines (default: first label of the host name, "
                    + "as keepalived)")
    private String configId;

    /** How findings are printed. */
    enum Format { TEXT, JSON }

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (FILE:LINE:COL: severity: message, then a summary) or json (one array, one object "
                    + "per finding: file, line, column, severity, message, hint). Default: ${DEFAULT-VALUE}")
    private Format format;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8)));
    }

    static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new LintCommand()).setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setOut(out);
        commandLine.setErr(err);
        int status = commandLine.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ParseOptions options = new ParseOptions(configId != null ? Optional.of(configId) : ParseOptions.hostConfigId(),
                ConfigFiles.local());
        List<KeepalivedConfig> configs = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        for (Path file : files) {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                err.println("qvip lint: cannot read " + file + ": "
                        + (Files.exists(file) ? "not a readable file" : "no such file"));
                return BAD_INPUT;
            }
        }
        ScriptHost scriptHost = new LocalScriptHost();
        for (Path file : files) {
            ParseResult result;
            try {
                result = KeepalivedConfigParser.parse(file, options);
            } catch (IOException e) {
                err.println("qvip lint: cannot read " + file + ": " + e.getMessage());
                return BAD_INPUT;
            }
            findings.addAll(result.findings());
            findings.addAll(ScriptAudit.findings(result.config(), scriptHost));
            configs.add(result.config());
        }
        findings.addAll(ClusterLint.lint(configs));
        if (format == Format.JSON) {
            out.println(LintJson.format(findings));
        } else {
            findings.forEach(f -> out.println(f.format()));
            long errors = findings.stream().filter(Finding::isError).count();
            out.println("qvip lint: " + files.size() + (files.size() == 1 ? " file, " : " files, ")
                    + count(errors, "error") + ", " + count(findings.size() - errors, "warning"));
        }
        return findings.isEmpty() ? CLEAN : FINDINGS;
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
