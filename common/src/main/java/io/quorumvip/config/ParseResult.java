package io.quorumvip.config;

import java.util.List;
import java.util.Optional;

/**
 * A parsed configuration and everything found while reading it. When there is any ERROR the config holds only
 * what could be read (incomplete instances are left out) and must not be run.
 */
public record ParseResult(KeepalivedConfig config, List<Finding> findings) {

    public ParseResult {
        findings = findings.stream().sorted(Finding.BY_LOCATION).toList();
    }

    public boolean hasErrors() {
        return findings.stream().anyMatch(Finding::isError);
    }

    public List<Finding> errors() {
        return findings.stream().filter(Finding::isError).toList();
    }

    public List<Finding> warnings() {
        return findings.stream().filter(f -> !f.isError()).toList();
    }

    /** The config if it has no error. */
    public Optional<KeepalivedConfig> usableConfig() {
        return hasErrors() ? Optional.empty() : Optional.of(config);
    }

    /** The config, or an exception listing every error: what the agent calls at start-up. */
    public KeepalivedConfig configOrThrow() {
        if (hasErrors()) {
            throw new InvalidConfigException(errors());
        }
        return config;
    }
}
