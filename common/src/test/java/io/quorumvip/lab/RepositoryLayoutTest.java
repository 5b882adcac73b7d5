package io.quorumvip.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests find shared/ as the scripts do: QVIP_SHARED when set, else shared/ beside the repository. */
class RepositoryLayoutTest {

    @TempDir
    Path dir;

    private Path repository() throws IOException {
        Path root = dir.resolve("quorum-vip");
        Files.createDirectories(root.resolve("scripts"));
        Files.writeString(root.resolve("scripts/lab.sh"), "");
        Files.createDirectories(root.resolve("node-agent"));
        return root;
    }

    @Test
    void shouldTakeSharedFromQvipSharedLikeTheScripts() throws IOException {
        Path root = repository();
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere/lb-samples")).getParent();

        RepositoryLayout layout = RepositoryLayout.locate(root.resolve("node-agent"),
                Map.of("QVIP_SHARED", elsewhere.toString()));

        assertThat(layout.root()).isEqualTo(root);
        assertThat(layout.shared()).isEqualTo(elsewhere);
        assertThat(layout.sharedDirectory("lb-samples")).isEqualTo(elsewhere.resolve("lb-samples"));
    }

    @Test
    void shouldFallBackToSharedBesideTheRepositoryWhenQvipSharedIsUnsetOrEmpty() throws IOException {
        Path root = repository();

        assertThat(RepositoryLayout.locate(root.resolve("node-agent"), Map.of()).shared())
                .isEqualTo(dir.resolve("shared"));
        assertThat(RepositoryLayout.locate(root, Map.of("QVIP_SHARED", "")).shared())
                .isEqualTo(dir.resolve("shared"));
    }

    @Test
    void shouldNameTheDirectoryAndTheVariableWhenSharedIsMissing() throws IOException {
        RepositoryLayout layout = RepositoryLayout.locate(repository(), Map.of());

        assertThatThrownBy(() -> layout.sharedDirectory("lb-samples")).hasMessageContaining(
                dir.resolve("shared/lb-samples").toString()).hasMessageContaining("QVIP_SHARED");
    }
}
