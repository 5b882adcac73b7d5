package io.quorumvip.config;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;

/**
 * One diagnostic about a configuration: collected, never thrown, so that one run reports every problem.
 *
 * @param hint what to do about it; empty when there is nothing useful to add
 */
public record Finding(Severity severity, Path file, int line, int column, String message, String hint) {

    /** Sorts by file, then line, then column: the order an editor would show them. */
    public static final Comparator<Finding> BY_LOCATION = Comparator
            .comparing((Finding f) -> f.file().toString())
            .thenComparingInt(Finding::line)
            .thenComparingInt(Finding::column)
            .thenComparing(Finding::severity);

    public Finding {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(hint, "hint");
    }

    public static Finding at(Severity severity, SourcePosition position, String message, String hint) {
        return new Finding(severity, position.file(), position.line(), position.column(), message, hint);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code FILE:LINE:COL: error: MESSAGE (hint)}, the format compilers use, so editors can jump to it. */
    public String format() {
        String text = file + ":" + line + ":" + column + ": " + severity.label() + ": " + message;
        return hint.isEmpty() ? text : text + " (" + hint + ")";
    }
}
