package io.quorumvip.config;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns a keepalived.conf and everything it includes into one token stream, applying keepalived's line-level
 * features in its order: comments, conditional lines ({@code @id} / {@code @^id}), parameter definitions and
 * substitution, then {@code include}. A block may start in one file and end in an included one, as in keepalived.
 */
final class ConfigLexer {

    private static final Pattern CONDITIONAL = Pattern.compile("^(\\s*)@(\\^?)(\\S*)");
    private static final Pattern DEFINITION = Pattern.compile("^\\s*\\$([A-Za-z_][A-Za-z0-9_]*)=(.*)$");
    private static final Pattern INCLUDE = Pattern.compile("^(\\s*)(include[rmwba]?)(?:\\s+(.*?))?\\s*$");
    private static final int MAX_EXPANSION_DEPTH = 32;
    /** Multi-line definitions that use each other can multiply lines without end; this caps a whole parse. */
    static final int MAX_EXPANDED_LINES = 100_000;

    private final ConfigFiles files;
    private final Optional<String> configId;
    private final Diagnostics diagnostics;
    private final ParameterTable parameters = new ParameterTable();
    private final Deque<Path> includeChain = new ArrayDeque<>();
    private final Deque<Path> includeChainAsWritten = new ArrayDeque<>();
    private final List<Token> tokens = new ArrayList<>();
    private int logicalLine;
    private int expandedLines;

    ConfigLexer(ConfigFiles files, Optional<String> configId, Diagnostics diagnostics) {
        this.files = files;
        this.configId = configId;
        this.diagnostics = diagnostics;
    }

    /** Lexes the main file; only a failure to read it is thrown, problems in included files become findings. */
    List<Token> lex(Path file) throws IOException {
        Path canonical = files.canonical(file);
        lexFile(file, canonical, files.readLines(file));
        return List.copyOf(tokens);
    }

    private void lexFile(Path file, Path canonical, List<String> lines) {
        includeChain.push(canonical);
        includeChainAsWritten.push(file);
        String multilineName = null;
        List<String> multilineValue = new ArrayList<>();
        for (int index = 0; index < lines.size(); index++) {
            int lineNumber = index + 1;
            String text = LineTokenizer.stripComment(lines.get(index));
            refuseRawBytes(file, lineNumber, text);
            if (multilineName != null) {
                boolean continues = endsWithBackslash(text);
                multilineValue.add(continues ? withoutBackslash(text) : text);
                if (!continues) {
                    parameters.define(multilineName, multilineValue);
                    multilineName = null;
                }
                continue;
            }
            Matcher definition = DEFINITION.matcher(text);
            if (definition.matches() && endsWithBackslash(definition.group(2))) {
                multilineName = definition.group(1);
                multilineValue = new ArrayList<>();
                String first = withoutBackslash(definition.group(2));
                if (!first.isBlank()) {
                    multilineValue.add(first);
                }
                continue;
            }
            processLine(file, lineNumber, text, 0);
        }
        if (multilineName != null) {
            diagnostics.error(new SourcePosition(file, lines.size(), 1),
                    "multi-line definition of `$" + multilineName + "` runs to the end of the file",
                    "its last line must not end with `\\`");
            parameters.define(multilineName, multilineValue);
        }
        includeChain.pop();
        includeChainAsWritten.pop();
    }

    /** A byte that is not UTF-8 is harmless in a comment, but we will not guess what it means in a value. */
    private void refuseRawBytes(Path file, int lineNumber, String text) {
        ConfigText.firstRawByte(text).ifPresent(index -> diagnostics.error(
                new SourcePosition(file, lineNumber, index + 1),
                String.format("byte 0x%02X is not UTF-8", ConfigText.rawByte(text, index)),
                "save the file as UTF-8; keepalived would pass the raw byte on, but outside a comment it must "
                        + "be text"));
    }

    private void processLine(Path file, int lineNumber, String text, int depth) {
        Optional<String> kept = applyConditional(text);
        if (kept.isEmpty()) {
            return;
        }
        String line = kept.get();
        Matcher definition = DEFINITION.matcher(line);
        if (definition.matches()) {
            parameters.define(definition.group(1), List.of(definition.group(2).strip()));
            return;
        }
        if (line.indexOf('$') >= 0) {
            ParameterTable.Expansion expansion = parameters.substitute(line, builtins(file));
            for (String name : expansion.unsupported()) {
                diagnostics.warning(new SourcePosition(file, lineNumber, line.indexOf(name) + 1),
                        "not supported yet: `${" + name + "}`", "it is left as written; write the value itself");
            }
            if (expansion.runaway()) {
                diagnostics.error(new SourcePosition(file, lineNumber, line.indexOf('$') + 1),
                        "parameter substitution does not terminate", "a parameter's value refers to itself");
                return;
            }
            if (expansion.changed()) {
                if (depth >= MAX_EXPANSION_DEPTH) {
                    diagnostics.error(new SourcePosition(file, lineNumber, 1),
                            "parameter expansion nested deeper than " + MAX_EXPANSION_DEPTH,
                            "a multi-line definition uses itself");
                    return;
                }
                expandedLines += expansion.lines().size();
                if (expandedLines > MAX_EXPANDED_LINES) {
                    if (expandedLines - expansion.lines().size() <= MAX_EXPANDED_LINES) {
                        diagnostics.error(new SourcePosition(file, lineNumber, 1), "parameter expansion produces "
                                + "more than " + MAX_EXPANDED_LINES + " lines; the rest is skipped",
                                "check for multi-line definitions that use each other");
                    }
                    return;
                }
                for (String expanded : expansion.lines()) {
                    processLine(file, lineNumber, expanded, depth + 1);
                }
                return;
            }
        }
        Matcher include = INCLUDE.matcher(line);
        if (include.matches()) {
            include(file, new SourcePosition(file, lineNumber, include.group(1).length() + 1), include.group(2),
                    include.group(3));
            return;
        }
        logicalLine++;
        tokens.addAll(LineTokenizer.tokenize(line, file, lineNumber, logicalLine, diagnostics));
    }

    /** The line with its {@code @id} prefix blanked out (so columns stay true), or empty when it is not for us. */
    private Optional<String> applyConditional(String line) {
        Matcher m = CONDITIONAL.matcher(line);
        if (!m.find()) {
            return Optional.of(line);
        }
        boolean negated = !m.group(2).isEmpty();
        boolean matches = configId.map(id -> id.equals(m.group(3))).orElse(false);
        if (matches == negated) {
            return Optional.empty();
        }
        return Optional.of(" ".repeat(m.end()) + line.substring(m.end()));
    }

    private Map<String, String> builtins(Path file) {
        Path directory = file.toAbsolutePath().getParent();
        return Map.of(
                "_PWD", directory == null ? "/" : directory.toString(),
                "_INSTANCE", configId.orElse(""),
                "_HASH", "#",
                "_BANG", "!");
    }

    private void include(Path file, SourcePosition at, String keyword, String argument) {
        if (argument == null || argument.isBlank()) {
            diagnostics.error(at, "`" + keyword + "` needs a file name or pattern", "write `include conf.d/*.conf`");
            return;
        }
        String written = unquote(argument);
        Path parent = file.getParent();
        Path pattern;
        try {
            pattern = parent == null ? Path.of(written) : parent.resolve(written);
        } catch (InvalidPathException e) {
            diagnostics.error(at, "`" + written + "` is not a file name: " + e.getReason(),
                    "write a path without NUL bytes");
            return;
        }
        List<Path> matches;
        try {
            matches = files.glob(pattern);
        } catch (IOException e) {
            diagnostics.error(at, "cannot expand include pattern `" + written + "`: " + e.getMessage(),
                    "check the directory exists and is readable");
            return;
        }
        if (matches.isEmpty()) {
            diagnostics.warning(at, "include pattern `" + written + "` matches no file",
                    "relative patterns are relative to " + (parent == null ? "the current directory" : parent));
            return;
        }
        for (Path match : matches) {
            includeOne(at, match);
        }
    }

    private void includeOne(SourcePosition at, Path match) {
        Path canonical;
        List<String> lines;
        try {
            canonical = files.canonical(match);
            lines = files.readLines(match);
        } catch (NoSuchFileException e) {
            // keepalived logs "Config files missing" and runs the rest; refusing would block a migration.
            diagnostics.warning(at, "included file " + match + " does not exist; the rest is read without it, "
                    + "as keepalived does", "relative paths are relative to the including file's directory");
            return;
        } catch (IOException e) {
            diagnostics.error(at, "cannot read included file " + match + ": " + e, "check its permissions");
            return;
        }
        if (includeChain.contains(canonical)) {
            List<Path> chain = new ArrayList<>(includeChainAsWritten);
            Collections.reverse(chain);
            chain.add(match);
            diagnostics.error(at, "include cycle: " + chain.stream().map(Path::toString)
                    .collect(Collectors.joining(" -> ")), "remove one of these include lines");
            return;
        }
        lexFile(match, canonical, lines);
    }

    private static String unquote(String text) {
        return text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")
                ? text.substring(1, text.length() - 1) : text;
    }

    private static boolean endsWithBackslash(String text) {
        return text.stripTrailing().endsWith("\\");
    }

    private static String withoutBackslash(String text) {
        String trimmed = text.stripTrailing();
        return trimmed.substring(0, trimmed.length() - 1);
    }
}
