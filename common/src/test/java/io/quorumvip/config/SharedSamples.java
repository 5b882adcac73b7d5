package io.quorumvip.config;

import static org.assertj.core.api.Assertions.fail;

import io.quorumvip.lab.RepositoryLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shared keepalived samples, found as the scripts find them ({@link RepositoryLayout}: {@code QVIP_SHARED}, else
 * shared/ beside the repository). They are required test input, so not finding them fails the test.
 */
final class SharedSamples {

    private SharedSamples() {
    }

    static Path sharedDirectory() {
        RepositoryLayout layout = RepositoryLayout.locate();
        layout.sharedDirectory("keepalived-samples");
        return layout.shared();
    }

    static Path samples() {
        return RepositoryLayout.locate().sharedDirectory("keepalived-samples");
    }

    /** The director pairs of the load-balancing acceptance, apart because the NAT pair still has a finding. */
    static Path lbSamples() {
        return RepositoryLayout.locate().sharedDirectory("lb-samples");
    }

    static Path upstreamSamples() {
        return RepositoryLayout.locate().sharedDirectory("keepalived-upstream-samples");
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
