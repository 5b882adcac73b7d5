package io.quorumvip.config;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a configuration with errors is asked for as usable; the message lists every error. */
public final class InvalidConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<Finding> errors;

    public InvalidConfigException(List<Finding> errors) {
        super(errors.size() + " configuration error(s):\n"
                + errors.stream().map(Finding::format).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public List<Finding> errors() {
        return errors;
    }
}
