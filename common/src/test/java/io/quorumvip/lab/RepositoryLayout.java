package io.quorumvip.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the repository and the shared samples are, seen from a test's working directory (a module directory
 * under Maven, the repository root in an IDE).
 */
public record RepositoryLayout(Path root, Path shared) {

    /** Where shared/ is, as the scripts read it (lab.sh, chaos, benchmarks); by default it sits beside the repository. */
    public static final String SHARED_VARIABLE = "QVIP_SHARED";

    public static RepositoryLayout locate() {
        return locate(Path.of("").toAbsolutePath(), System.getenv());
    }

    static RepositoryLayout locate(Path start, Map<String, String> environment) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("scripts/lab.sh"))) {
                String override = environment.get(SHARED_VARIABLE);
                Path shared = override != null && !override.isBlank() ? Path.of(override)
                        : dir.resolveSibling("shared");
                return new RepositoryLayout(dir, shared.toAbsolutePath().normalize());
            }
        }
        throw new IllegalStateException("no directory with scripts/lab.sh at or above " + start
                + " (run the tests from inside the quorum-vip repository)");
    }

    public Path labScript() {
        return root.resolve("scripts/lab.sh");
    }

    /** A directory of shared/, e.g. {@code lb-samples}; fails naming where it looked if it does not exist. */
    public Path sharedDirectory(String name) {
        Path directory = shared.resolve(name);
        if (!Files.isDirectory(directory)) {
            throw new IllegalStateException("shared directory not found: " + directory + " (put shared/ beside the"
                    + " repository or set " + SHARED_VARIABLE + "=DIR, as for the scripts)");
        }
        return directory;
    }

    /** A file of shared/keepalived-samples, e.g. {@code pair-node1.conf}; fails if it does not exist. */
    public Path keepalivedSample(String fileName) {
        Path sample = sharedDirectory("keepalived-samples").resolve(fileName);
        if (!Files.isRegularFile(sample)) {
            throw new IllegalStateException("keepalived sample not found: " + sample);
        }
        return sample;
    }
}
