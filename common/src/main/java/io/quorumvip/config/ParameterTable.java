package io.quorumvip.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * keepalived's parameter substitution: {@code $NAME=value} defines, {@code ${NAME}} anywhere or {@code $NAME}
 * followed by whitespace or the end of the line is replaced, recursively, at the time of use. An undefined name is
 * left as written, as keepalived does, so scripts containing {@code $} keep working.
 */
final class ParameterTable {

    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Recursive definitions ({@code $A=${A}x}) would never end; keepalived has no limit, we stop here. */
    private static final int MAX_ROUNDS = 64;
    /** {@code $A=${A} ${A}} doubles each round; stop long before memory runs out. */
    static final int MAX_LINE_LENGTH = 65_536;

    private final Map<String, List<String>> values = new HashMap<>();

    /** The outcome of substituting one line: one line, or several when a multi-line definition was used. */
    record Expansion(List<String> lines, boolean changed, boolean runaway, Set<String> unsupported) {
    }

    void define(String name, List<String> lines) {
        values.put(name, List.copyOf(lines));
    }

    Expansion substitute(String line, Map<String, String> builtins) {
        Set<String> unsupported = new LinkedHashSet<>();
        String current = line;
        boolean changed = false;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<String> next = substituteOnce(current, builtins, unsupported);
            if (next == null) {
                return new Expansion(List.of(current), changed, false, unsupported);
            }
            changed = true;
            if (next.stream().anyMatch(l -> l.length() > MAX_LINE_LENGTH)) {
                return new Expansion(List.of(current), true, true, unsupported);
            }
            if (next.size() > 1) {
                // The expanded lines may define parameters used by later ones: the caller processes them in order.
                return new Expansion(next, true, false, unsupported);
            }
            current = next.get(0);
        }
        return new Expansion(List.of(current), changed, true, unsupported);
    }

    /** One left-to-right pass; null when nothing was replaced. */
    private List<String> substituteOnce(String line, Map<String, String> builtins, Set<String> unsupported) {
        List<StringBuilder> out = new ArrayList<>();
        out.add(new StringBuilder());
        boolean replaced = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            int end = -1;
            String name = null;
            if (c == '$' && i + 1 < line.length() && line.charAt(i + 1) == '{') {
                int close = line.indexOf('}', i + 2);
                if (close > 0) {
                    String inner = line.substring(i + 2, close);
                    if (inner.startsWith("_ENV ") || inner.equals("_RANDOM") || inner.startsWith("_RANDOM ")) {
                        unsupported.add(inner.split(" ")[0]);
                    } else if (NAME.matcher(inner).matches()) {
                        name = inner;
                        end = close + 1;
                    }
                }
            } else if (c == '$') {
                int j = i + 1;
                while (j < line.length() && (Character.isLetterOrDigit(line.charAt(j)) || line.charAt(j) == '_')) {
                    j++;
                }
                String candidate = line.substring(i + 1, j);
                boolean delimited = j == line.length() || Character.isWhitespace(line.charAt(j));
                if (delimited && NAME.matcher(candidate).matches()) {
                    name = candidate;
                    end = j;
                }
            }
            List<String> value = name == null ? null : lookup(name, builtins);
            if (value == null) {
                out.get(out.size() - 1).append(c);
                i++;
                continue;
            }
            replaced = true;
            out.get(out.size() - 1).append(value.isEmpty() ? "" : value.get(0));
            for (int k = 1; k < value.size(); k++) {
                out.add(new StringBuilder(value.get(k)));
            }
            i = end;
        }
        return replaced ? out.stream().map(StringBuilder::toString).toList() : null;
    }

    private List<String> lookup(String name, Map<String, String> builtins) {
        String builtin = builtins.get(name);
        return builtin != null ? List.of(builtin) : values.get(name);
    }
}
