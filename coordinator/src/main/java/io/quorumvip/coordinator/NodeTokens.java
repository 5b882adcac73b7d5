package io.quorumvip.coordinator;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The per-node bearer tokens agents present when they ship records: a properties file of {@code node=token} lines.
 * Node ids become directory names under the data directory, so they are limited to a safe alphabet.
 */
public final class NodeTokens {

    /** A node id that is safe as a directory name: letters, digits, '.', '_' and '-', not starting with '.'. */
    static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}");
    private static final int MIN_TOKEN_LENGTH = 16;

    private final Map<String, byte[]> tokens;

    private NodeTokens(Map<String, byte[]> tokens) {
        this.tokens = Map.copyOf(tokens);
    }

    public static NodeTokens of(Map<String, String> tokens) {
        Map<String, byte[]> checked = new TreeMap<>();
        tokens.forEach((node, token) -> {
            if (!NODE_ID.matcher(node).matches()) {
                throw new IllegalArgumentException("node id '" + node
                        + "' (expected 1-64 of A-Z a-z 0-9 . _ -, not starting with '.')");
            }
            if (token.length() < MIN_TOKEN_LENGTH) {
                throw new IllegalArgumentException("token of node '" + node + "' has " + token.length()
                        + " characters (expected at least " + MIN_TOKEN_LENGTH + "; generate one with: openssl rand -hex 16)");
            }
            checked.put(node, token.getBytes(StandardCharsets.UTF_8));
        });
        if (checked.isEmpty()) {
            throw new IllegalArgumentException("no node tokens (expected at least one line node=token)");
        }
        return new NodeTokens(checked);
    }

    /** @throws IllegalArgumentException naming the file and the bad entry */
    public static NodeTokens load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Map<String, String> tokens = new TreeMap<>();
        properties.stringPropertyNames().forEach(node -> tokens.put(node, properties.getProperty(node).strip()));
        try {
            return of(tokens);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tokens file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code token} is the one configured for {@code node}; compared in constant time. */
    public boolean accepts(String node, String token) {
        byte[] expected = tokens.get(node);
        return expected != null && token != null
                && MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.UTF_8));
    }
}
