package io.quorumvip.config;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the shared keepalived samples: system property {@code qvip.shared}, else a {@code shared/} directory with
 * {@code keepalived-samples} in it beside the working directory or one of its ancestors. They are required test
 * input, so not finding them fails the test.
 */
final class SharedSamples {

    private SharedSamples() {
    }

    static Path sharedDirectory() {
        String property = System.getProperty("qvip.shared");
        if (property != null && !property.isBlank()) {
            Path shared = Path.of(property);
            if (!Files.isDirectory(shared.resolve("keepalived-samples"))) {
                fail("system property qvip.shared=" + property + " has no keepalived-samples directory");
            }
            return shared;
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path shared = dir.resolve("shared");
            if (Files.isDirectory(shared.resolve("keepalived-samples"))) {
                return shared;
            }
        }
        return fail("no shared/keepalived-samples beside " + Path.of("").toAbsolutePath()
                + " or its parents; set -Dqvip.shared=/path/to/shared (the samples are required test input)");
    }

    static Path samples() {
        return sharedDirectory().resolve("keepalived-samples");
    }

    /** The director pairs of the load-balancing acceptance, apart because the NAT pair still has a finding. */
    static Path lbSamples() {
        return sharedDirectory().resolve("lb-samples");
    }

    static Path upstreamSamples() {
        return sharedDirectory().resolve("keepalived-upstream-samples");
    }

    static List<Path> list(Path directory, String globPattern) {
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> matches = files
                    .filter(p -> directory.getFileSystem().getPathMatcher("glob:" + globPattern)
                            .matches(p.getFileName()))
                    .sorted()
                    .toList();
            if (matches.isEmpty()) {
                fail("no " + globPattern + " in " + directory);
            }
            return matches;
        } catch (IOException e) {
            return fail("cannot list " + directory + ": " + e);
        }
    }
}
