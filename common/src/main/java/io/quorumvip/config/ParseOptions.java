package io.quorumvip.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How to read a configuration.
 *
 * @param configId keepalived's config id ({@code -i}): lines starting {@code @id} are kept only when it matches,
 *                 {@code @^id} only when it does not. keepalived defaults it to the host name's first label;
 *                 empty keeps no {@code @id} line and every {@code @^id} line.
 * @param files    where files come from
 */
public record ParseOptions(Optional<String> configId, ConfigFiles files) {

    private static final Path HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    public ParseOptions {
        Objects.requireNonNull(configId, "configId");
        Objects.requireNonNull(files, "files");
    }

    public static ParseOptions defaults() {
        return new ParseOptions(Optional.empty(), ConfigFiles.local());
    }

    /** keepalived's default config id: the host name up to its first dot, when it can be read. */
    public static Optional<String> hostConfigId() {
        try {
            String name = Files.readString(HOSTNAME, StandardCharsets.UTF_8).strip();
            int dot = name.indexOf('.');
            return Optional.of(dot < 0 ? name : name.substring(0, dot)).filter(s -> !s.isEmpty());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public ParseOptions withConfigId(String id) {
        return new ParseOptions(Optional.of(id), files);
    }
}
