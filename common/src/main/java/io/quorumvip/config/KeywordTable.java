package io.quorumvip.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The keywords valid in one kind of block, each with its handler, plus the keepalived keywords of that block we
 * know but do not implement. Dispatch never drops a line silently: a keyword is handled, warned about as not
 * supported yet or as belonging to another block (keepalived ignores those), or reported as an error with the
 * nearest valid keyword.
 */
final class KeywordTable<T> {

    private final String blockName;
    private final Map<String, KeywordHandler<T>> handlers;
    private final Set<String> repeatable;
    private final Set<String> notSupported;
    private final Set<String> elsewhere;

    private KeywordTable(Builder<T> builder) {
        this.blockName = builder.blockName;
        this.handlers = Map.copyOf(builder.handlers);
        this.repeatable = Set.copyOf(builder.repeatable);
        this.notSupported = Set.copyOf(builder.notSupported);
        this.elsewhere = Set.copyOf(builder.elsewhere);
    }

    static <T> Builder<T> forBlock(String blockName) {
        return new Builder<>(blockName);
    }

    void dispatch(List<Statement> statements, T draft, Diagnostics diagnostics) {
        Map<String, Statement> seen = new HashMap<>();
        for (Statement statement : statements) {
            String keyword = statement.name();
            KeywordHandler<T> handler = statement.keyword().quoted() ? null : handlers.get(keyword);
            if (handler != null) {
                handle(keyword, statement, draft, seen, diagnostics);
            } else if (notSupported.contains(keyword)) {
                diagnostics.notSupportedYet(statement.position(), keyword);
            } else if (elsewhere.contains(keyword)) {
                diagnostics.error(statement.position(), "`" + keyword + "` is not valid inside " + blockName,
                        "it belongs at the top level; is a `}` missing above?");
            } else {
                notOfThisBlock(statement, draft, seen, diagnostics);
            }
        }
    }

    /**
     * A keyword of another block is ignored with a warning, as keepalived ignores it; anything else is an error,
     * and a misspelt block keyword close to one of ours is read as that keyword.
     */
    private void notOfThisBlock(Statement statement, T draft, Map<String, Statement> seen, Diagnostics diagnostics) {
        String keyword = statement.name();
        Optional<String> home = statement.keyword().quoted() ? Optional.empty() : KeywordHomes.homeOf(keyword);
        if (home.isPresent()) {
            diagnostics.warning(statement.position(), "`" + keyword + "` belongs in " + home.get() + ", not in "
                            + blockName + "; it is ignored here, as keepalived does",
                    "move it to where it belongs, or remove it");
            return;
        }
        Optional<String> meant = closest(keyword);
        if (meant.isPresent() && statement.block().isPresent() && handlers.containsKey(meant.get())) {
            readAsMeant(statement, meant.get(), draft, seen, diagnostics);
        } else {
            diagnostics.error(statement.position(), "unknown keyword `" + keyword + "` in " + blockName,
                    suggestion(meant));
        }
    }

    /**
     * A misspelt block keyword with a close match: still an error (the file does not run), but its block is read
     * as the keyword meant, so the mistakes inside it and the checks across nodes are reported in the same run.
     */
    private void readAsMeant(Statement statement, String meant, T draft, Map<String, Statement> seen,
                             Diagnostics diagnostics) {
        diagnostics.error(statement.position(), "unknown keyword `" + statement.name() + "` in " + blockName
                        + "; its block is checked as `" + meant + "`",
                "did you mean `" + meant + "`? Fix the spelling: a file with errors is not run");
        handle(meant, statement.readAs(meant), draft, seen, diagnostics);
    }

    private void handle(String keyword, Statement statement, T draft, Map<String, Statement> seen,
                        Diagnostics diagnostics) {
        Statement earlier = seen.putIfAbsent(keyword, statement);
        if (earlier != null && !repeatable.contains(keyword)) {
            diagnostics.warning(statement.position(), "`" + keyword + "` is set again in " + blockName
                            + " (first at line " + earlier.position().line() + "); the last one wins",
                    "remove one of them");
        }
        handlers.get(keyword).handle(statement, draft, diagnostics);
    }

    String blockName() {
        return blockName;
    }

    /** Every keyword this block knows, implemented or not. */
    Set<String> keywords() {
        Set<String> known = new LinkedHashSet<>(handlers.keySet());
        known.addAll(notSupported);
        return known;
    }

    private Optional<String> closest(String keyword) {
        List<String> known = new ArrayList<>(handlers.keySet());
        known.addAll(notSupported);
        return KeywordSuggester.closest(keyword, known);
    }

    private String suggestion(Optional<String> meant) {
        return meant.map(k -> "did you mean `" + k + "`?")
                .orElseGet(() -> "valid here: " + String.join(", ", handlers.keySet().stream().sorted().toList()));
    }

    static final class Builder<T> {
        private final String blockName;
        private final Map<String, KeywordHandler<T>> handlers = new LinkedHashMap<>();
        private final Set<String> repeatable = new LinkedHashSet<>();
        private final Set<String> notSupported = new LinkedHashSet<>();
        private final Set<String> elsewhere = new LinkedHashSet<>();

        private Builder(String blockName) {
            this.blockName = blockName;
        }

        /** A keyword that may appear once; a second occurrence is warned about. */
        Builder<T> keyword(String keyword, KeywordHandler<T> handler) {
            handlers.put(keyword, handler);
            return this;
        }

        /** A keyword whose occurrences add up, like {@code vrrp_instance} or a second {@code virtual_ipaddress}. */
        Builder<T> repeatable(String keyword, KeywordHandler<T> handler) {
            repeatable.add(keyword);
            return keyword(keyword, handler);
        }

        Builder<T> notSupported(Set<String> keywords) {
            notSupported.addAll(keywords);
            return this;
        }

        /** Keywords that are valid in another block, so finding them here points at a misplaced brace. */
        Builder<T> validElsewhere(Set<String> keywords) {
            elsewhere.addAll(keywords);
            return this;
        }

        KeywordTable<T> build() {
            elsewhere.removeAll(handlers.keySet());
            elsewhere.removeAll(notSupported);
            return new KeywordTable<>(this);
        }
    }
}
