package io.quorumvip.lab;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the repository and the shared samples are, seen from a test's working directory (a module directory
 * under Maven, the repository root in an IDE).
 */
public record RepositoryLayout(Path root, Path shared) {

    /** Overrides where shared/ is; by default it sits beside the repository. */
    public static final String SHARED_PROPERTY = "qvip.shared";

    public static RepositoryLayout locate() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("scripts/lab.sh"))) {
                String override = System.getProperty(SHARED_PROPERTY);
                Path shared = override != null ? Path.of(override) : dir.resolveSibling("shared");
                return new RepositoryLayout(dir, shared.toAbsolutePath().normalize());
            }
        }
        throw new IllegalStateException("no directory with scripts/lab.sh at or above " + start
                + " (run the tests from inside the quorum-vip repository)");
    }

    public Path labScript() {
        return root.resolve("scripts/lab.sh");
    }

    /** A file of shared/keepalived-samples, e.g. {@code pair-node1.conf}; fails if it does not exist. */
    public Path keepalivedSample(String fileName) {
        Path sample = shared.resolve("keepalived-samples").resolve(fileName);
        if (!Files.isRegularFile(sample)) {
            throw new IllegalStateException("keepalived sample not found: " + sample + " (set -D" + SHARED_PROPERTY
                    + "=DIR if shared/ is not beside the repository)");
        }
        return sample;
    }
}
