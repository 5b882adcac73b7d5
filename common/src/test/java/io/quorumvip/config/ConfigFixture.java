package io.quorumvip.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes configuration text into a test's temporary directory and parses it. */
final class ConfigFixture {

    private ConfigFixture() {
    }

    static Path write(Path directory, String name, String text) {
        try {
            Path file = directory.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ParseResult parse(Path directory, String text) {
        return parse(write(directory, "keepalived.conf", text), ParseOptions.defaults());
    }

    static ParseResult parse(Path file, ParseOptions options) {
        try {
            return KeepalivedConfigParser.parse(file, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses text that must have no finding at all, and returns the config. */
    static KeepalivedConfig parseClean(Path directory, String text) {
        ParseResult result = parse(directory, text);
        assertThat(result.findings()).as("findings").isEmpty();
        return result.config();
    }

    /** A minimal valid instance body with the given extra lines. */
    static String instance(String name, String... extraLines) {
        StringBuilder text = new StringBuilder("vrrp_instance " + name + " {\n");
        for (String line : extraLines) {
            text.append("    ").append(line).append('\n');
        }
        return text.append("}\n").toString();
    }

    static String copyWith(Path sample, String from, String to) {
        try {
            String text = Files.readString(sample, StandardCharsets.UTF_8);
            assertThat(text).as("sample %s contains %s", sample, from).contains(from);
            return text.replace(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
