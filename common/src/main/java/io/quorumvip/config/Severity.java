package io.quorumvip.config;

/** How bad a {@link Finding} is: an ERROR makes the configuration unusable, a WARNING does not. */
public enum Severity {
    ERROR,
    WARNING;

    /** The lower-case word used in {@code FILE:LINE:COL: error: ...} output. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
