package io.quorumvip.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The grammar of keepalived.conf(5) as installed with keepalived (scripts/install-deps installs it): every keyword
 * line of its syntax blocks with the blocks it sits in, from the global definitions to the VRRP sections, and the
 * LVS sections read apart ({@link #lvsKeywordLines}): their grammar writes block headers with placeholders and
 * alternatives ({@code CHECKER_TYPE {}, {@code HTTP_GET|SSL_GET {}), which are instantiated first.
 */
record ManPageGrammar(List<ManPageGrammar.KeywordLine> vrrp, List<ManPageGrammar.KeywordLine> lvs,
        List<String> addressOptions) {

    static final Path MAN_PAGE = Path.of("/usr/share/man/man5/keepalived.conf.5.gz");
    private static final Pattern KEYWORD_LINE = Pattern.compile("^\\s*\\\\fB([a-z][a-z0-9_]*)");
    private static final String FIRST_SECTION = "Global definitions";
    private static final String END_SECTION = "LVS CONFIGURATION";
    private static final String LVS_END_SECTION = "ADVANCED CONFIGURATION";
    private static final Pattern LVS_KEYWORD = Pattern.compile("^([A-Za-z][A-Za-z0-9_|-]*)");
    private static final Pattern OPTIONAL_PART = Pattern.compile("\\[[^\\[\\]]*]");
    static final List<String> CHECKER_TYPES = List.of("TCP_CHECK", "HTTP_GET", "SSL_GET", "MISC_CHECK",
            "SMTP_CHECK", "DNS_CHECK", "UDP_CHECK", "PING_CHECK", "FILE_CHECK", "BFD_CHECK");

    /** One keyword line of the man page: the blocks it sits in (outermost first) and the line itself. */
    record KeywordLine(List<String> parents, String keyword, String text, int manLine) {

        String path() {
            List<String> all = new ArrayList<>(parents.stream().map(p -> p.split("\\s+")[0]).toList());
            all.add(keyword);
            return String.join(" > ", all);
        }

        /** The line inside its parents' blocks, each closed. */
        String asConfig() {
            StringBuilder config = new StringBuilder();
            parents.forEach(p -> config.append(p).append('\n'));
            config.append(text).append('\n');
            if (text.endsWith("{")) {
                config.append("}\n");
            }
            parents.forEach(p -> config.append("}\n"));
            return config.toString();
        }
    }

    /** Reads the installed man page; a test asks {@link #installed()} first. */
    static ManPageGrammar read() throws IOException {
        List<String> roff;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(MAN_PAGE))) {
            roff = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        return new ManPageGrammar(keywordLines(roff), lvsKeywordLines(roff), addressOptions(roff));
    }

    static boolean installed() {
        return Files.isReadable(MAN_PAGE);
    }

    private static String plain(String roffLine) {
        return roffLine.replaceAll("\\\\f[BRIP]", "").replace("\\-", "-").replace("\\e", "\\")
                .replace("\\(aq", "'").strip();
    }

    private static List<KeywordLine> keywordLines(List<String> roff) {
        List<KeywordLine> found = new ArrayList<>();
        Deque<String> parents = new ArrayDeque<>();
        boolean inScope = false;
        for (int i = 0; i < roff.size(); i++) {
            String raw = roff.get(i);
            if (raw.startsWith(".SH ")) {
                String section = raw.substring(4).replace("\"", "").strip();
                inScope = section.equals(FIRST_SECTION) || (inScope && !section.equals(END_SECTION));
                parents.clear();
                continue;
            }
            String text = LineTokenizer.stripComment(plain(raw)).strip();
            if (!inScope || text.isEmpty()) {
                continue;
            }
            Matcher keyword = KEYWORD_LINE.matcher(raw);
            if (keyword.find()) {
                found.add(new KeywordLine(List.copyOf(parents), keyword.group(1), text, i + 1));
                if (text.endsWith("{")) {
                    parents.addLast(text);
                }
            } else if (text.equals("}") && !parents.isEmpty()) {
                parents.removeLast();
            }
        }
        return found;
    }

    /**
     * The keyword lines of the LVS sections' syntax blocks (between {@code .nf} and {@code .fi}), each inside
     * concrete parents: a header with alternatives becomes one line per alternative, {@code CHECKER_TYPE} every
     * checker, placeholders of a header an address and port of the lab, and optional parts of a line are dropped
     * (what is left is the keyword with its mandatory words, still possibly placeholders: only "unknown keyword"
     * is looked for).
     */
    private static List<KeywordLine> lvsKeywordLines(List<String> roff) {
        List<KeywordLine> found = new ArrayList<>();
        Deque<List<String>> parents = new ArrayDeque<>();
        boolean inScope = false;
        boolean inSyntax = false;
        for (int i = 0; i < roff.size(); i++) {
            String raw = roff.get(i);
            if (raw.startsWith(".SH ")) {
                String section = raw.substring(4).replace("\"", "").strip();
                inScope = section.equals(END_SECTION) || (inScope && !section.equals(LVS_END_SECTION));
                parents.clear();
                continue;
            }
            inSyntax = raw.startsWith(".nf") || (inSyntax && !raw.startsWith(".fi"));
            String text = withoutOptionalParts(LineTokenizer.stripComment(plain(raw)).strip());
            Matcher keyword = LVS_KEYWORD.matcher(text);
            if (!inScope || !inSyntax || text.isEmpty() || text.equals("or") || text.endsWith("|")
                    || text.endsWith(":")) {
                continue;
            }
            if (text.equals("}")) {
                if (!parents.isEmpty()) {
                    parents.removeLast();
                }
            } else if (keyword.find()) {
                List<String> alternatives = alternatives(keyword.group(1), text);
                for (List<String> context : contexts(List.copyOf(parents))) {
                    for (String alternative : alternatives) {
                        found.add(new KeywordLine(context, alternative.split("\\s+")[0], alternative, i + 1));
                    }
                }
                if (text.endsWith("{")) {
                    parents.addLast(alternatives);
                }
            }
        }
        return found;
    }

    static String withoutOptionalParts(String text) {
        String before;
        String after = text;
        do {
            before = after;
            after = OPTIONAL_PART.matcher(before).replaceAll("").replaceAll("\\s+", " ").strip();
        } while (!after.equals(before));
        return after;
    }

    /** A block header as the configurations to test: one per alternative, with its placeholders filled in. */
    private static List<String> alternatives(String keywords, String text) {
        if (!text.endsWith("{")) {
            return List.of(text);
        }
        List<String> names = keywords.equals("CHECKER_TYPE") ? CHECKER_TYPES : List.of(keywords.split("\\|"));
        return names.stream().map(name -> switch (name) {
            case "virtual_server" -> "virtual_server 192.0.2.100 80 {";
            case "virtual_server_group" -> "virtual_server_group VSG_1 {";
            case "real_server" -> "real_server 198.51.100.51 80 {";
            default -> name + " {";
        }).toList();
    }

    /** Every combination of one alternative per parent block, outermost first. */
    private static List<List<String>> contexts(List<List<String>> parents) {
        List<List<String>> contexts = List.of(List.of());
        for (List<String> alternatives : parents) {
            List<List<String>> longer = new ArrayList<>();
            for (List<String> context : contexts) {
                for (String alternative : alternatives) {
                    List<String> next = new ArrayList<>(context);
                    next.add(alternative);
                    longer.add(next);
                }
            }
            contexts = longer;
        }
        return contexts;
    }

    /** Each {@code [option VALUE]} of the virtual_ipaddress entry grammar, with its placeholders filled in. */
    private static List<String> addressOptions(List<String> roff) {
        int start = -1;
        for (int i = 0; i < roff.size() && start < 0; i++) {
            if (roff.get(i).contains("\\fBvirtual_ipaddress \\fR{")) {
                start = i + 1;
            }
        }
        assertThat(start).as("virtual_ipaddress grammar in the man page").isPositive();
        StringBuilder grammar = new StringBuilder();
        for (int i = start; roff.get(i).strip().startsWith("<IPADDR>") || roff.get(i).strip().startsWith("["); i++) {
            grammar.append(' ').append(plain(roff.get(i)));
        }
        Matcher option = Pattern.compile("\\[([^\\]]+)]").matcher(grammar);
        List<String> options = new ArrayList<>();
        while (option.find()) {
            String filled = option.group(1).replace("<IPADDR>", "192.0.2.1").replace("<STRING>", "eth1")
                    .replace("<SCOPE>", "link").replace("<LABEL>", "eth1:vip").replace("nn|forever", "forever");
            if (!filled.startsWith("/")) {
                options.add(filled);
            }
        }
        return options;
    }
}
