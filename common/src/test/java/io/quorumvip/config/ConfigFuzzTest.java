package io.quorumvip.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Feeds the parser the real samples (keepalived's own and ours) with their bytes mutated, and plain random bytes:
 * whatever comes in, it answers with findings and never throws.
 */
class ConfigFuzzTest {

    private static final Path MAIN = Path.of("/etc/keepalived/keepalived.conf");
    private static final List<byte[]> SAMPLES = readSamples();

    private static List<byte[]> readSamples() {
        List<Path> files = new ArrayList<>(SharedSamples.list(SharedSamples.samples(), "*.conf"));
        files.addAll(SharedSamples.list(SharedSamples.upstreamSamples(), "keepalived.conf.*"));
        return files.stream().map(ConfigFuzzTest::bytes).toList();
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One edit of a byte array at a relative position; several are applied in turn. */
    private record Mutation(int kind, double where, double length, byte[] insert) {

        byte[] apply(byte[] in) {
            int at = (int) (where * in.length);
            int span = Math.min(in.length - at, 1 + (int) (length * 64));
            byte[] out;
            switch (kind) {
                case 0 -> { // delete a span
                    out = new byte[in.length - span];
                    System.arraycopy(in, 0, out, 0, at);
                    System.arraycopy(in, at + span, out, at, in.length - at - span);
                }
                case 1 -> { // duplicate a span (repeats lines, braces, blocks)
                    out = new byte[in.length + span];
                    System.arraycopy(in, 0, out, 0, at + span);
                    System.arraycopy(in, at, out, at + span, in.length - at);
                }
                case 2 -> { // overwrite bytes
                    out = in.clone();
                    for (int i = 0; i < insert.length && at + i < out.length; i++) {
                        out[at + i] = insert[i];
                    }
                }
                default -> { // insert bytes
                    out = new byte[in.length + insert.length];
                    System.arraycopy(in, 0, out, 0, at);
                    System.arraycopy(insert, 0, out, at, insert.length);
                    System.arraycopy(in, at, out, at + insert.length, in.length - at);
                }
            }
            return out;
        }
    }

    @Provide
    Arbitrary<byte[]> mutatedSample() {
        Arbitrary<byte[]> fragments = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(8),
                Arbitraries.of("{", "}", "\n", "\"", "#", "!", "@x ", "$A=1\n", "${A}", "include x.conf\n",
                        "vrrp_instace", "virtual_router_id 0", "/999", "\\\n", "\u00e9", "\u2713", "\r",
                        "advert_int 0.001", "~SEQ(n,1,3)").map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.of(new byte[] {(byte) 0xE9}, new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xED,
                        (byte) 0xA0, (byte) 0x80}, new byte[] {0}));
        Arbitrary<Mutation> mutation = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.doubles().between(0, 1), Arbitraries.doubles().between(0, 1), fragments)
                .as(Mutation::new);
        return Combinators.combine(Arbitraries.of(SAMPLES), mutation.list().ofMinSize(1).ofMaxSize(12))
                .as((sample, mutations) -> {
                    byte[] bytes = sample;
                    for (Mutation m : mutations) {
                        bytes = m.apply(bytes);
                    }
                    return bytes;
                });
    }

    @Property(tries = 600)
    void shouldAnswerEveryMutatedSampleWithFindingsAndNeverThrow(@ForAll("mutatedSample") byte[] main,
                                                                  @ForAll("mutatedSample") byte[] included)
            throws IOException {
        assertAnswersWithFindings(main, included);
    }

    @Property(tries = 300)
    void shouldAnswerRandomBytesWithFindingsAndNeverThrow(@ForAll byte[] main, @ForAll byte[] included)
            throws IOException {
        assertAnswersWithFindings(main, included);
    }

    private static void assertAnswersWithFindings(byte[] main, byte[] included) throws IOException {
        ConfigFiles files = new InMemoryConfigFiles(Map.of(MAIN, main, MAIN.resolveSibling("x.conf"), included));

        ParseResult result = KeepalivedConfigParser.parse(MAIN, new ParseOptions(Optional.of("x"), files));

        assertThat(result.findings()).allSatisfy(f -> {
            assertThat(f.line()).isPositive();
            assertThat(f.column()).isPositive();
            assertThat(f.message()).isNotBlank();
        });
        assertThat(result.usableConfig().isPresent()).isEqualTo(!result.hasErrors());
        assertThat(Stream.of(result.config()).flatMap(c -> c.vrrpInstances().stream()))
                .allSatisfy(i -> assertThat(i.virtualRouterId()).isBetween(1, 255));
    }
}
