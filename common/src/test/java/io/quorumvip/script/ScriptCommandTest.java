package io.quorumvip.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScriptCommandTest {

    @Test
    void shouldSplitOnBlanks() {
        assertThat(ScriptCommand.split("/usr/bin/check  --port 80")).containsExactly("/usr/bin/check", "--port", "80");
    }

    @Test
    void shouldKeepQuotedWordsTogether() {
        assertThat(ScriptCommand.split("/bin/sh -c 'echo a b' \"c d\"")).containsExactly("/bin/sh", "-c", "echo a b", "c d");
    }

    @Test
    void shouldHonourBackslashEscapes() {
        assertThat(ScriptCommand.split("a\\ b c")).containsExactly("a b", "c");
    }

    @Test
    void shouldRejectAnUnclosedQuoteNamingIt() {
        assertThatThrownBy(() -> ScriptCommand.split("/bin/check 'oops")).hasMessageContaining("unclosed ' quote");
    }

    @Test
    void shouldRejectAnEmptyLine() {
        assertThatThrownBy(() -> ScriptCommand.split("   ")).hasMessageContaining("empty");
    }
}
