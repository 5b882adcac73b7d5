package io.quorumvip.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration files are bytes: read like keepalived reads them, refused only where a value must be text. */
class ConfigBytesTest {

    @TempDir
    Path dir;

    private ParseResult parseBytes(byte[] bytes) {
        try {
            Path file = dir.resolve("keepalived.conf");
            Files.write(file, bytes);
            return ConfigFixture.parse(file, ParseOptions.defaults());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static final String INSTANCE = ConfigFixture.instance("VI_1", "interface eth0",
            "virtual_router_id 51", "priority 150", "virtual_ipaddress {", "    192.0.2.200/24", "}");

    @Test
    void shouldReadALatin1CommentWithoutAnyFinding() {
        ParseResult result = parseBytes(latin1("# Konfiguration für den Müller-Server, ©2021\n" + INSTANCE
                + "! Schluß\n"));

        assertThat(result.findings()).isEmpty();
        assertThat(result.config().instance("VI_1")).isPresent();
    }

    @Test
    void shouldReportANonUtf8ByteInAValueAtItsLineAndColumn() {
        ParseResult result = parseBytes(latin1(INSTANCE.replace("interface eth0", "interface éth0")));

        assertThat(result.errors()).extracting(Finding::line, Finding::column, Finding::message)
                .contains(tuple(2, 15, "byte 0xE9 is not UTF-8"));
    }

    @Test
    void shouldAcceptUtf8TextInValuesAndCommentsAlike() {
        ParseResult result = parseBytes(("# Müller ✓\nglobal_defs {\n    router_id knoten-müller\n}\n" + INSTANCE)
                .getBytes(StandardCharsets.UTF_8));

        assertThat(result.findings()).isEmpty();
        assertThat(result.config().globalDefs().routerId()).contains("knoten-müller");
    }

    @Test
    void shouldReadWindowsLineEndingsLikeUnixOnes() {
        ParseResult result = parseBytes(INSTANCE.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));

        assertThat(result.findings()).isEmpty();
        assertThat(result.config().instance("VI_1").orElseThrow().interfaceName()).isEqualTo("eth0");
    }

    @Test
    void shouldKeepEveryByteOfALineOnTheLineItCameFrom() {
        assertThat(ConfigText.lines(new byte[] {'a', (byte) 0xFF, '\n', (byte) 0xC3, '\n', 'b'}))
                .hasSize(3)
                .satisfies(lines -> {
                    assertThat(ConfigText.rawByte(lines.get(0), ConfigText.firstRawByte(lines.get(0)).orElseThrow()))
                            .isEqualTo(0xFF);
                    assertThat(ConfigText.firstRawByte(lines.get(1))).hasValue(0);
                    assertThat(lines.get(2)).isEqualTo("b");
                });
    }
}
