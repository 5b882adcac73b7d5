package io.quorumvip.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Measures how many configurations we run: every sample we can read (ours, keepalived's upstream samples, and the
 * ones the keepalived package installs), and with {@code -Dqvip.corpus=DIR} every file under DIR. Prints the
 * figure and the refusals grouped by their first error, so a corpus run says what to fix next:
 * {@code mvn -pl common test -Dtest=ConfigAcceptanceTest -Dqvip.corpus=/path/to/confs}
 * (the output is in common/target/surefire-reports/io.quorumvip.config.ConfigAcceptanceTest-output.txt).
 */
class ConfigAcceptanceTest {

    private static final Path INSTALLED_SAMPLES = Path.of("/usr/share/doc/keepalived/samples");

    /** What one set of files gave: how many ran (no error), and the refused files by their first error. */
    record Tally(String name, int files, int accepted, Map<String, List<Path>> refusedBy) {

        String figure() {
            return String.format("%s: %d of %d configurations accepted (%.1f %%)", name, accepted, files,
                    files == 0 ? 100.0 : 100.0 * accepted / files);
        }
    }

    static Tally measure(String name, List<Path> files) {
        int accepted = 0;
        Map<String, List<Path>> refusedBy = new TreeMap<>();
        for (Path file : files) {
            ParseResult result;
            try {
                result = KeepalivedConfigParser.parse(file, ParseOptions.defaults());
            } catch (IOException e) {
                refusedBy.computeIfAbsent("unreadable: " + e.getClass().getSimpleName(), k -> new ArrayList<>())
                        .add(file);
                continue;
            }
            if (result.hasErrors()) {
                refusedBy.computeIfAbsent(errorClass(result.errors().get(0)), k -> new ArrayList<>()).add(file);
            } else {
                accepted++;
            }
        }
        return new Tally(name, files.size(), accepted, refusedBy);
    }

    /** The message with what varies (quoted words, numbers, paths) blanked, so alike errors group together. */
    static String errorClass(Finding error) {
        return error.message().replaceAll("`[^`]*`", "`X`").replaceAll("/[^\\s)]+", "PATH")
                .replaceAll("\\d+(\\.\\d+)*", "N");
    }

    private static List<Path> regularFiles(Path directory) {
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".md"))
                    .filter(p -> !p.getFileName().toString().endsWith(".sh"))
                    .filter(p -> !p.getFileName().toString().endsWith(".gz")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The upstream samples are also what the keepalived package installs: each content counts once. */
    private static List<Path> distinct(List<Path> files) {
        Map<String, Path> byContent = new LinkedHashMap<>();
        for (Path file : files) {
            try {
                byContent.putIfAbsent(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1),
                        file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return List.copyOf(byContent.values());
    }

    private static void print(Tally tally) {
        System.out.println(tally.figure());
        tally.refusedBy().forEach((error, files) -> System.out.println("  " + files.size() + " x " + error
                + "  e.g. " + files.get(0)));
    }

    @Test
    void shouldAcceptEverySampleWeCanRead() {
        List<Path> files = new ArrayList<>(regularFiles(SharedSamples.samples()));
        files.addAll(regularFiles(SharedSamples.upstreamSamples()));
        if (Files.isDirectory(INSTALLED_SAMPLES)) {
            files.addAll(regularFiles(INSTALLED_SAMPLES));
        }

        Tally tally = measure("shared and installed keepalived samples (distinct contents)", distinct(files));

        print(tally);
        assertThat(tally.refusedBy()).isEmpty();
        assertThat(tally.files()).isGreaterThanOrEqualTo(31);
    }

    @Test
    void shouldMeasureTheCorpusGivenWithQvipCorpus() {
        String corpus = System.getProperty("qvip.corpus");
        Assumptions.assumeTrue(corpus != null && !corpus.isBlank(),
                "no -Dqvip.corpus=DIR given: nothing more to measure");

        Tally tally = measure("corpus " + corpus, regularFiles(Path.of(corpus)));

        print(tally);
        assertThat(tally.files()).isPositive();
    }
}
