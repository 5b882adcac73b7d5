package io.quorumvip.config;

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
 * summary. Exit status: 0 clean, 1 any finding, 2 bad usage or a file that cannot be read.
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

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8)));
    }

    static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new LintCommand());
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
        int errors = 0;
        int warnings = 0;
        for (Path file : files) {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                err.println("qvip lint: cannot read " + file + ": "
                        + (Files.exists(file) ? "not a readable file" : "no such file"));
                return BAD_INPUT;
            }
        }
        for (Path file : files) {
            ParseResult result;
            try {
                result = KeepalivedConfigParser.parse(file, options);
            } catch (IOException e) {
                err.println("qvip lint: cannot read " + file + ": " + e.getMessage());
                return BAD_INPUT;
            }
            result.findings().forEach(f -> out.println(f.format()));
            errors += result.errors().size();
            warnings += result.warnings().size();
            configs.add(result.config());
        }
        for (Finding finding : ClusterLint.lint(configs)) {
            out.println(finding.format());
            if (finding.isError()) {
                errors++;
            } else {
                warnings++;
            }
        }
        out.println("qvip lint: " + files.size() + (files.size() == 1 ? " file, " : " files, ")
                + count(errors, "error") + ", " + count(warnings, "warning"));
        return errors + warnings == 0 ? CLEAN : FINDINGS;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
