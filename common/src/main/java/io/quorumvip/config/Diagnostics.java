package io.quorumvip.config;

import java.util.ArrayList;
import java.util.List;

/** Collects findings while a configuration is read; nothing here throws. */
final class Diagnostics {

    private final List<Finding> findings = new ArrayList<>();

    void error(SourcePosition at, String message, String hint) {
        findings.add(Finding.at(Severity.ERROR, at, message, hint));
    }

    void warning(SourcePosition at, String message, String hint) {
        findings.add(Finding.at(Severity.WARNING, at, message, hint));
    }

    void notSupportedYet(SourcePosition at, String keyword) {
        warning(at, "not supported yet: `" + keyword + "`",
                "quorum-vip reads it but does not act on it; keepalived would");
    }

    List<Finding> findings() {
        return List.copyOf(findings);
    }
}
