package io.quorumvip.config;

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

    public ParseOptions {
        Objects.requireNonNull(configId, "configId");
        Objects.requireNonNull(files, "files");
    }

    public static ParseOptions defaults() {
        return new ParseOptions(Optional.empty(), ConfigFiles.local());
    }

    public ParseOptions withConfigId(String id) {
        return new ParseOptions(Optional.of(id), files);
    }
}
