package io.quorumvip.forensics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exit 1 means "split brain found": a forensics run that failed itself must never say it. Run as the launcher runs
 * it, in its own JVM, so an out-of-memory error meets the real main.
 */
class ForensicsExitCodeTest {

    @TempDir
    Path root;

    private record Outcome(int code, String err) {
    }

    private Outcome forensics(List<String> jvmOptions, List<Path> dirs) throws IOException, InterruptedException {
        return forensics(jvmOptions, dirs, List.of("--json"));
    }

    private Outcome forensics(List<String> jvmOptions, List<Path> dirs, List<String> options)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(ForensicsCommand.class.getName());
        command.addAll(options);
        dirs.forEach(d -> command.add(d.toString()));
        Path err = root.resolve("err.txt");
        Process child = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile()).start();
        if (!child.waitFor(120, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new AssertionError("qvip forensics did not finish in 120 s");
        }
        return new Outcome(child.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** The timeline holds the whole history (the streamed text and JSON do not: see the next test). */
    @Test
    void shouldExitTwoWithAMessageWhenItRunsOutOfMemoryOnAHistoryWithSplitBrain() throws Exception {
        List<Path> dirs = HistoryGenerator.write(root.resolve("history"), 2, 3, 60_000);

        Outcome outcome = forensics(List.of("-Xmx12m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), dirs,
                List.of("--html", root.resolve("timeline.html").toString()));

        assertThat(outcome.code()).isEqualTo(2);
        assertThat(outcome.err()).contains("qvip forensics: out of memory", "not a result");
    }

    @Test
    void shouldStreamTheSameHistoryInTheSameSmallHeapAndFindTheSplitBrain() throws Exception {
        List<Path> dirs = HistoryGenerator.write(root.resolve("history"), 2, 3, 60_000);

        Outcome outcome = forensics(List.of("-Xmx12m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), dirs);

        assertThat(outcome.code()).isEqualTo(1);
    }

    @Test
    void shouldExitOneOnTheSameHistoryWhenTheHeapIsLargeEnough() throws Exception {
        List<Path> dirs = HistoryGenerator.write(root.resolve("history"), 2, 3, 2_000);

        assertThat(forensics(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), dirs).code()).isEqualTo(1);
    }

    @Test
    void shouldExitTwoWithAMessageWhenAJournalCannotBeRead() throws Exception {
        List<Path> dirs = HistoryGenerator.write(root.resolve("history"), 2, 3, 2_000);
        Path segment;
        try (var files = Files.list(dirs.get(1))) {
            segment = files.filter(f -> f.getFileName().toString().startsWith("segment-")).findFirst().orElseThrow();
        }
        Files.delete(segment);
        Files.createDirectory(segment);

        Outcome outcome = forensics(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), dirs);

        assertThat(outcome.code()).isEqualTo(2);
        assertThat(outcome.err()).startsWith("qvip forensics: cannot read or write: journal " + dirs.get(1));
    }

    @Test
    void shouldExitTwoWithAMessageWhenASegmentIsGarbage() throws Exception {
        List<Path> dirs = HistoryGenerator.write(root.resolve("history"), 2, 3, 2_000);
        try (var files = Files.list(dirs.get(0))) {
            Path segment = files.filter(f -> f.getFileName().toString().startsWith("segment-")).findFirst().orElseThrow();
            Files.write(segment, new byte[] {1, 2, 3});
        }

        Outcome outcome = forensics(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), dirs);

        assertThat(outcome.code()).isEqualTo(2);
        assertThat(outcome.err()).startsWith("qvip forensics: ");
    }
}
