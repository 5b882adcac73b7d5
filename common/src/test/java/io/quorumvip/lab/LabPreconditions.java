package io.quorumvip.lab;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Skips, with the reason, a test whose lab cannot run on this machine; never lets it pass silently. */
public final class LabPreconditions {

    private LabPreconditions() {
    }

    /** Root, and the tools every lab needs: ip (namespaces), ping, jq (lab status). */
    public static void assumeLabCanRun() {
        assumeTrue(isRoot(), "lab tests need root for network namespaces (uid " + uid()
                + "); run scripts/test as root");
        assumeTools("ip", "ping", "jq", "setsid");
    }

    /** Tools a particular test needs on top of the lab, e.g. keepalived, arping, nft. */
    public static void assumeTools(String... tools) {
        for (String tool : tools) {
            assumeTrue(onPath(tool), tool + " is not installed (run scripts/install-deps as root)");
        }
    }

    public static boolean isRoot() {
        return "0".equals(uid());
    }

    private static String uid() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("Uid:"))
                    .map(line -> line.split("\\s+")[1])
                    .findFirst()
                    .orElse("unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/status to find the uid", e);
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
