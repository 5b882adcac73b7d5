package io.quorumvip.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeTokensTest {

    @TempDir
    Path tmp;

    @Test
    void shouldAcceptOnlyTheTokenConfiguredForTheNode() throws Exception {
        Path file = Files.writeString(tmp.resolve("tokens.properties"), "# agents\nn1 = 0123456789abcdef01\nn2=fedcba9876543210fe\n");

        NodeTokens tokens = NodeTokens.load(file);

        assertThat(tokens.accepts("n1", "0123456789abcdef01")).isTrue();
        assertThat(tokens.accepts("n2", "0123456789abcdef01")).isFalse();
        assertThat(tokens.accepts("n3", "0123456789abcdef01")).isFalse();
        assertThat(tokens.accepts("n1", null)).isFalse();
    }

    @Test
    void shouldRefuseANodeIdThatIsNotASafeDirectoryName() {
        assertThatThrownBy(() -> NodeTokens.of(Map.of("../etc", "0123456789abcdef01")))
                .hasMessageContaining("node id '../etc'");
    }

    @Test
    void shouldRefuseAShortTokenNamingTheFileAndNode() throws Exception {
        Path file = Files.writeString(tmp.resolve("tokens.properties"), "n1=short\n");

        assertThatThrownBy(() -> NodeTokens.load(file)).hasMessageContaining(file.toString())
                .hasMessageContaining("token of node 'n1' has 5 characters (expected at least 16");
    }

    @Test
    void shouldRefuseAnEmptyTokensFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("tokens.properties"), "# nothing yet\n");

        assertThatThrownBy(() -> NodeTokens.load(file)).hasMessageContaining("no node tokens");
    }
}
