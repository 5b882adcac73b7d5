package io.quorumvip.config;

import java.nio.file.Path;

/** Where the node's bearer token for the coordinators comes from: written in the file, or read from another. */
public sealed interface CoordinatorToken {

    /** {@code token LITERAL}; toString hides the value so it never reaches a log. */
    record Literal(String value) implements CoordinatorToken {
        @Override
        public String toString() {
            return "Literal[value=<" + value.length() + " characters>]";
        }
    }

    /** {@code token_file PATH}: its first line, read when the agent starts. */
    record File(Path path) implements CoordinatorToken {
    }
}
