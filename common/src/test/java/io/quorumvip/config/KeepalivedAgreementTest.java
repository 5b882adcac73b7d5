package io.quorumvip.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.config.ManPageGrammar.KeywordLine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Holds the parser to keepalived's own judgement (issue 14: "a configuration keepalived accepts starts"). Every
 * keyword line of keepalived.conf(5) is given a plausible value, put inside a configuration both accept without it,
 * and read by {@code keepalived -t} (2.2.7, installed by scripts/install-deps) and by our parser. Of the files
 * keepalived accepts (exit 0), ours must refuse none; the files keepalived refuses are counted, not judged (our
 * warnings for them are our own business). This is the man page's grammar, generated; the corpus of real files
 * is measured apart (docs/configuration.md).
 */
class KeepalivedAgreementTest {

    private static final Path KEEPALIVED = Path.of("/usr/sbin/keepalived");
    private static final Pattern PLACEHOLDER = Pattern.compile("<[^>]*>");
    private static final Pattern ALTERNATIVES = Pattern.compile("(?<![<\\w-])([\\w.-]+(?:\\|[\\w.-]+)+)");

    /**
     * Configuration both accept, around which each line is tried. keepalived's -t exits 6 on any script run
     * without script security, hence the global_defs.
     */
    private static final String BASE = """
            global_defs {
                enable_script_security
                script_user root
            }
            vrrp_script chk {
                script /bin/true
            }
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                virtual_ipaddress {
                    192.0.2.10/24
                }
            }
            vrrp_instance VI_3 {
                interface eth0
                virtual_router_id 53
                virtual_ipaddress {
                    192.0.2.12/24
                }
            }
            """;

    /** Placeholders the man page writes in capitals, without angle brackets. */
    private static final Map<String, String> BARE_PLACEHOLDERS = Map.of("BYTES", "262144", "SECONDS", "5",
            "SECS", "5", "PRIORITY", "0", "NUMBER", "1", "UNSIGNED_INT", "1", "...", "");

    /** Lines whose every value is optional in the grammar, yet one is needed. */
    private static final Map<String, String> WHOLE_LINES = Map.of("vrrp_rx_bufs_policy", "vrrp_rx_bufs_policy MTU",
            "lvs_timeouts", "lvs_timeouts tcp 900", "umask", "umask 022");

    /**
     * Lines keepalived accepts and we refuse on purpose, each with the reason an operator reads in the error. A
     * refusal here is a decision documented in docs/configuration.md, not a parser gap.
     */
    private static final Map<Pattern, String> DELIBERATE_REFUSALS = Map.of(
            Pattern.compile("^(lb_kind|lvs_method) TUN\\b"),
            "this kernel has no ipip tunnel, so a TUN pool could never forward; refused with a hint to use NAT or DR");

    /** What a top-level block needs besides the line under test for either reader to take it. */
    private static final Map<String, String> BLOCK_HEADERS = Map.of(
            "vrrp_instance", "vrrp_instance VI_2 {\ninterface eth0\nvirtual_router_id 52\n"
                    + "virtual_ipaddress {\n192.0.2.11/24\n}",
            "vrrp_sync_group", "vrrp_sync_group G_1 {\ngroup {\nVI_1\nVI_3\n}",
            "vrrp_script", "vrrp_script chk_2 {\nscript /bin/true",
            "track_file", "track_file tf_1 {\nfile /tmp/qvip-agreement-file",
            "vrrp_track_process", "vrrp_track_process tp_1 {\nprocess init",
            "virtual_server", "virtual_server 192.0.2.100 80 {\nprotocol TCP\nlb_algo rr\nlb_kind NAT\n"
                    + "real_server 198.51.100.52 80 {\nweight 1\n}",
            "virtual_server_group", "virtual_server_group VSG_1 {");

    @TempDir
    Path dir;

    @Test
    void shouldAcceptEveryGeneratedConfigurationKeepalivedAccepts() throws Exception {
        Assumptions.assumeTrue(ManPageGrammar.installed() && Files.isExecutable(KEEPALIVED),
                KEEPALIVED + " and its man page are not installed (scripts/install-deps installs keepalived)");
        assertThat(keepalivedAccepts(write("base", BASE))).as("keepalived -t takes the base configuration").isTrue();
        assertThat(ConfigFixture.parse(dir, BASE).errors()).as("we take the base configuration").isEmpty();

        ManPageGrammar grammar = ManPageGrammar.read();
        List<KeywordLine> lines = new ArrayList<>(grammar.vrrp());
        lines.addAll(grammar.lvs());
        List<Verdict> verdicts = judge(lines);

        long keepalivedAccepted = verdicts.stream().filter(Verdict::keepalivedAccepts).count();
        List<Verdict> refusedByUs = verdicts.stream().filter(v -> v.keepalivedAccepts() && !v.ourErrors().isEmpty())
                .toList();
        List<String> refusedByUsOnly = refusedByUs.stream().filter(v -> !refusedOnPurpose(v.line()))
                .map(v -> "man line " + v.line().manLine() + " " + v.line().path() + ": " + v.ourErrors().get(0))
                .toList();
        List<String> acceptedByUsOnlyLines = verdicts.stream()
                .filter(v -> !v.keepalivedAccepts() && v.ourErrors().isEmpty())
                .map(v -> v.line().path() + ": " + instantiate(v.line().text())).toList();
        long acceptedByUsOnly = acceptedByUsOnlyLines.size();
        acceptedByUsOnlyLines.forEach(line -> System.out.println("keepalived -t refuses, we accept: " + line));
        System.out.printf("keepalived.conf(5) lines tried: %d; keepalived -t accepts %d, we accept %d of those and "
                        + "refuse %d on purpose; we accept %d that keepalived refuses%n", verdicts.size(),
                keepalivedAccepted, keepalivedAccepted - refusedByUs.size(),
                refusedByUs.size() - refusedByUsOnly.size(), acceptedByUsOnly);

        assertThat(keepalivedAccepted).as("generated files keepalived accepts").isGreaterThan(lines.size() / 2);
        assertThat(refusedByUsOnly).as("files keepalived -t accepts and we refuse").isEmpty();
    }

    private static boolean refusedOnPurpose(KeywordLine line) {
        String text = instantiate(line.text());
        return DELIBERATE_REFUSALS.keySet().stream().anyMatch(p -> p.matcher(text).find());
    }

    private record Verdict(KeywordLine line, boolean keepalivedAccepts, List<String> ourErrors) {
    }

    private List<Verdict> judge(List<KeywordLine> lines) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Verdict>> futures = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                KeywordLine line = lines.get(i);
                Path file = write("line-" + i, BASE + configFor(line));
                futures.add(pool.submit(() -> new Verdict(line, keepalivedAccepts(file),
                        ConfigFixture.parse(file, ParseOptions.defaults()).errors().stream().map(Finding::format)
                                .toList())));
            }
            List<Verdict> verdicts = new ArrayList<>();
            for (Future<Verdict> future : futures) {
                verdicts.add(future.get(60, TimeUnit.SECONDS));
            }
            return verdicts;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The line with its parents, every header and value instantiated, each block closed. */
    static String configFor(KeywordLine line) {
        List<String> blocks = new ArrayList<>(line.parents());
        String text = instantiate(line.text());
        if (text.endsWith("{")) {
            blocks.add(text);
            text = "";
        }
        StringBuilder config = new StringBuilder();
        for (int i = 0; i < blocks.size(); i++) {
            String header = instantiate(blocks.get(i));
            String keyword = header.split("\\s+")[0];
            config.append(i == 0 ? BLOCK_HEADERS.getOrDefault(keyword, header) : header).append('\n');
        }
        if (!text.isEmpty()) {
            config.append(text).append('\n');
        }
        config.append("}\n".repeat(blocks.size()));
        return config.toString();
    }

    /** A plausible value for each placeholder, the first of each {@code a|b|c}, optional parts left out. */
    static String instantiate(String grammarLine) {
        String keyword = grammarLine.split("\\s+")[0];
        if (WHOLE_LINES.containsKey(keyword)) {
            return WHOLE_LINES.get(keyword);
        }
        String text = ManPageGrammar.withoutOptionalParts(grammarLine).replaceAll(">=(\\d+)", "$1");
        for (Map.Entry<String, String> bare : BARE_PLACEHOLDERS.entrySet()) {
            text = text.replaceAll("(?<=\\s)" + Pattern.quote(bare.getKey()) + "(?=\\s|$)", bare.getValue());
        }
        Matcher placeholder = PLACEHOLDER.matcher(text);
        StringBuilder filled = new StringBuilder();
        while (placeholder.find()) {
            placeholder.appendReplacement(filled, Matcher.quoteReplacement(valueFor(keyword, placeholder.group())));
        }
        placeholder.appendTail(filled);
        String line = filled.toString().replace("|" + quotedString(keyword), "");
        Matcher alternatives = ALTERNATIVES.matcher(line.substring(keyword.length()));
        return keyword + alternatives.replaceAll(m -> Matcher.quoteReplacement(m.group(1).split("\\|")[0]));
    }

    private static String quotedString(String keyword) {
        return valueFor(keyword, "<QUOTED-STRING>");
    }

    private static String valueFor(String keyword, String placeholder) {
        String name = placeholder.substring(1, placeholder.length() - 1).toUpperCase();
        return switch (name) {
            case "STRING" -> stringFor(keyword);
            case "QUOTED-STRING", "QUOTED_STRING" -> "\"" + stringFor(keyword) + "\"";
            case "BOOL" -> "on";
            case "DECIMAL" -> "1.5";
            case "IPADDR", "IP ADDRESS" -> "192.0.2.1";
            case "MULTICAST_IPADDR" -> "224.0.0.18";
            case "PORT" -> "80";
            case "NETMASK" -> "255.255.255.0";
            case "HEX_STR" -> "ab12";
            case "PROTOCOL" -> "1.1";
            case "OPTIONS" -> "caseless";
            case "START" -> "1024";
            case "MAX" -> "4096";
            case "INTERFACE", "IFNAME", "INTERFACE_NAME" -> "eth0";
            case "VMAC_INTERFACE_NAME" -> "vrrp.52";
            case "VRRP_INSTANCE" -> "VI_1";
            case "SCRIPT_NAME" -> "chk";
            case "2 OR 3" -> "3";
            case "1..99" -> "50";
            case "-1 TO 99", "-20 TO 19" -> "0";
            case "TIMER" -> "3";
            default -> "1";
        };
    }

    private static String stringFor(String keyword) {
        if (keyword.contains("interface") || keyword.endsWith("_if") || keyword.equals("dev")) {
            return "eth0";
        }
        if (keyword.contains("script") || keyword.startsWith("notify") || keyword.startsWith("quorum_")
                || keyword.endsWith("_path")) {
            return "/bin/true";
        }
        return "lab";
    }

    private Path write(String name, String text) {
        return ConfigFixture.write(dir, name + "/keepalived.conf", text);
    }

    private static boolean keepalivedAccepts(Path file) {
        try {
            Process process = new ProcessBuilder(KEEPALIVED.toString(), "-t", "-l", "-D", "-f", file.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("keepalived -t did not finish in 30 s on " + file);
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
