package io.quorumvip.track;

import java.util.List;
import java.util.Objects;

/**
 * Which processes a {@code vrrp_track_process} counts, with keepalived's exact (not regular-expression) matching:
 * the name is compared with the process name ({@code /proc/PID/stat}'s comm), or with the first word of the command
 * line under {@code full_command}. Parameters, when given (or when {@code param_match} is set), are compared with the
 * rest of the command line: all of them exactly by default, the first n exactly with {@code partial}, and with
 * {@code initial} the last one may also be the start of a longer word.
 *
 * @param name        the process name, or the command under {@code full_command}
 * @param parameters  the parameters that must follow it
 * @param match       how parameters compare; {@link ParamMatch#NONE} when neither parameters nor param_match are set
 * @param fullCommand {@code full_command}
 */
public record ProcessPattern(String name, List<String> parameters, ParamMatch match, boolean fullCommand) {

    public enum ParamMatch {
        /** Parameters are not looked at. */
        NONE,
        /** The command line's parameters are exactly these. */
        EXACT,
        /** The first n parameters are these; more may follow. */
        PARTIAL,
        /** Like PARTIAL, but the last one configured may be the start of a longer parameter. */
        INITIAL
    }

    public ProcessPattern {
        Objects.requireNonNull(name, "name");
        parameters = List.copyOf(parameters);
        Objects.requireNonNull(match, "match");
    }

    /**
     * @param comm    the process name from {@code /proc/PID/stat}
     * @param argv    the command line, split at its NULs ({@code /proc/PID/cmdline}); empty for a kernel thread
     */
    public boolean matches(String comm, List<String> argv) {
        boolean nameMatches = fullCommand ? !argv.isEmpty() && argv.get(0).equals(name) : comm.equals(name);
        if (!nameMatches) {
            return false;
        }
        List<String> actual = argv.isEmpty() ? List.of() : argv.subList(1, argv.size());
        return switch (match) {
            case NONE -> true;
            case EXACT -> actual.equals(parameters);
            case PARTIAL -> actual.size() >= parameters.size()
                    && actual.subList(0, parameters.size()).equals(parameters);
            case INITIAL -> initialMatch(actual);
        };
    }

    private boolean initialMatch(List<String> actual) {
        int n = parameters.size();
        if (n == 0) {
            return true;
        }
        return actual.size() >= n && actual.subList(0, n - 1).equals(parameters.subList(0, n - 1))
                && actual.get(n - 1).startsWith(parameters.get(n - 1));
    }
}
