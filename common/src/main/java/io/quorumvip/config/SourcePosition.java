package io.quorumvip.config;

import java.nio.file.Path;
import java.util.Objects;

/** Where something was written: file, 1-based line, 1-based column. */
public record SourcePosition(Path file, int line, int column) {

    public SourcePosition {
        Objects.requireNonNull(file, "file");
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
