package io.quorumvip.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * {@code qvip lint --format json}: one JSON array, one object per finding, for CI pipelines and editors. The keys
 * are fixed ({@code file, line, column, severity, message, hint}); severity is {@code error} or {@code warning}.
 */
final class LintJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One finding as it appears in the output; the field order is the key order. */
    record Entry(String file, int line, int column, String severity, String message, String hint) {

        static Entry of(Finding f) {
            return new Entry(f.file().toString(), f.line(), f.column(), f.severity().label(), f.message(), f.hint());
        }
    }

    private LintJson() {
    }

    static String format(List<Finding> findings) {
        try {
            return MAPPER.writeValueAsString(findings.stream().map(Entry::of).toList());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("findings are plain strings and numbers; Jackson cannot fail on them", e);
        }
    }
}
