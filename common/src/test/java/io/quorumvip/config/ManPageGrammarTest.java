package io.quorumvip.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.config.ManPageGrammar.KeywordLine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Turns every keyword line of keepalived.conf(5)'s syntax blocks ({@link ManPageGrammar}) into a configuration: each
 * must be known (implemented or "not supported yet"), never "unknown keyword". The options of a virtual_ipaddress
 * line are instantiated and must parse.
 */
class ManPageGrammarTest {

    /**
     * The man page lists the connection keywords under every CHECKER_TYPE, but keepalived 2.2.7 itself calls them
     * "Unknown keyword" in the two checkers that open no connection (checked with {@code keepalived -t}); we agree.
     */
    private static final Set<String> CONNECTION_KEYWORDS = Set.of("connect_ip", "connect_port", "bindto", "bind_if",
            "bind_port", "fwmark");
    private static final Map<String, Set<String>> UNKNOWN_TO_KEEPALIVED_TOO = Map.of(
            "MISC_CHECK", CONNECTION_KEYWORDS,
            "FILE_CHECK", union(CONNECTION_KEYWORDS, Set.of("log_all_failures")));

    private static List<KeywordLine> lines;
    private static List<KeywordLine> lvsLines;
    private static List<String> addressOptions;

    @TempDir
    Path dir;

    @BeforeAll
    static void readManPage() throws IOException {
        Assumptions.assumeTrue(ManPageGrammar.installed(), ManPageGrammar.MAN_PAGE + " is not installed "
                + "(scripts/install-deps installs keepalived, which ships it)");
        ManPageGrammar grammar = ManPageGrammar.read();
        lines = grammar.vrrp();
        lvsLines = grammar.lvs();
        addressOptions = grammar.addressOptions();
    }

    private static boolean unknownToKeepalivedToo(KeywordLine line) {
        String block = line.parents().isEmpty() ? "" : line.parents().get(line.parents().size() - 1).split("\\s+")[0];
        return UNKNOWN_TO_KEEPALIVED_TOO.getOrDefault(block, Set.of()).contains(line.keyword());
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    @Test
    void shouldFindTheGrammarOfEveryVrrpBlockInTheManPage() {
        Map<String, Set<String>> byParent = new LinkedHashMap<>();
        lines.forEach(l -> byParent.computeIfAbsent(l.parents().isEmpty() ? "(top level)"
                : l.parents().get(l.parents().size() - 1).split("\\s+")[0], k -> new LinkedHashSet<>())
                .add(l.keyword()));

        assertThat(byParent.get("(top level)")).contains("global_defs", "vrrp_script", "vrrp_sync_group",
                "vrrp_instance", "track_file", "vrrp_track_process", "bfd_instance", "static_ipaddress",
                "garp_group", "linkbeat_interfaces");
        assertThat(byParent.get("global_defs")).hasSizeGreaterThan(100).contains("router_id", "vrrp_strict");
        assertThat(byParent.get("vrrp_instance")).hasSizeGreaterThan(60).contains("state", "use_vmac",
                "track_file", "unicast_peer", "notify_master_rx_lower_pri");
        assertThat(addressOptions).contains("dev eth1", "scope link", "label eth1:vip", "no_track");
        System.out.printf("keepalived.conf(5) grammar: %d keyword lines in %d blocks, %d virtual_ipaddress options%n",
                lines.size(), byParent.size(), addressOptions.size());
    }

    @Test
    void shouldKnowEveryKeywordOfTheManPageGrammar() {
        List<String> unknown = new ArrayList<>();
        for (KeywordLine line : lines) {
            ParseResult result = ConfigFixture.parse(dir, line.asConfig());
            result.findings().stream()
                    .filter(f -> f.message().startsWith("unknown keyword") || f.message().contains("not valid inside"))
                    .forEach(f -> unknown.add("man line " + line.manLine() + " " + line.path() + ": " + f.format()));
        }

        assertThat(unknown).as("keywords of keepalived.conf(5) we call unknown").isEmpty();
    }

    @Test
    void shouldKnowEveryKeywordOfTheLvsGrammar() {
        Set<String> checkers = lvsLines.stream().filter(l -> l.parents().size() == 3)
                .map(l -> l.parents().get(2).split("\\s+")[0]).collect(Collectors.toSet());
        assertThat(checkers).containsAll(ManPageGrammar.CHECKER_TYPES);
        assertThat(lvsLines.stream().map(KeywordLine::keyword)).contains("lvs_sched", "sorry_server", "url",
                "regex_max_offset", "misc_dynamic", "min_reply_length", "fwmark", "SSL", "certificate");

        List<String> unknown = new ArrayList<>();
        for (KeywordLine line : lvsLines.stream().filter(l -> !unknownToKeepalivedToo(l)).toList()) {
            ParseResult result = ConfigFixture.parse(dir, line.asConfig());
            result.findings().stream()
                    .filter(f -> f.message().startsWith("unknown keyword") || f.message().contains("not valid inside"))
                    .forEach(f -> unknown.add("man line " + line.manLine() + " " + line.path() + ": " + f.format()));
        }

        System.out.printf("keepalived.conf(5) LVS grammar: %d keyword lines in context%n", lvsLines.size());
        assertThat(unknown).as("LVS keywords of keepalived.conf(5) we call unknown").isEmpty();
    }

    @Test
    void shouldParseEveryVirtualAddressOptionOfTheManPageGrammar() {
        for (String option : addressOptions) {
            ParseResult result = ConfigFixture.parse(dir, ConfigFixture.instance("VI_1", "interface eth0",
                    "virtual_router_id 51", "virtual_ipaddress {", "    192.0.2.201/24 " + option, "}"));

            assertThat(result.errors()).as("virtual_ipaddress option `%s`", option).isEmpty();
            assertThat(result.config().instance("VI_1").orElseThrow().virtualIpAddresses()).as(option).hasSize(1);
        }
    }

    @Test
    void shouldKeepTheWholeSyntaxOfAVrrpInstanceFromTheManPageKnown() {
        String instance = lines.stream().filter(l -> l.parents().size() == 1
                        && l.parents().get(0).startsWith("vrrp_instance"))
                .map(l -> l.text().endsWith("{") ? l.text() + "\n}" : l.text())
                .collect(Collectors.joining("\n", "vrrp_instance VI_1 {\n", "\n}\n"));

        ParseResult result = ConfigFixture.parse(dir, instance);

        assertThat(result.findings()).noneMatch(f -> f.message().startsWith("unknown keyword"));
    }
}
