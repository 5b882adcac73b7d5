package io.quorumvip.config;

import static io.quorumvip.config.ConfigFixture.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CoordinatorBlockTest {

    @TempDir
    Path dir;

    private ParseResult parseCoordinator(String... lines) {
        return parse(dir, "coordinator {\n" + String.join("\n", lines) + "\n}\n");
    }

    @Test
    void shouldReadSeveralUrlsAndATokenFile() {
        CoordinatorConfig coordinator = parseCoordinator(
                "url http://192.0.2.30:9120   # first",
                "url HTTPS://192.0.2.31:9443/",
                "token_file /etc/quorum-vip/token").configOrThrow().coordinator().orElseThrow();

        assertThat(coordinator.urls()).containsExactly(URI.create("http://192.0.2.30:9120"),
                URI.create("https://192.0.2.31:9443"));
        assertThat(coordinator.token()).isEqualTo(new CoordinatorToken.File(Path.of("/etc/quorum-vip/token")));
        assertThat(coordinator.position().line()).isEqualTo(1);
    }

    @Test
    void shouldReadALiteralTokenWithoutShowingItInToString() {
        CoordinatorConfig coordinator = parseCoordinator("url http://192.0.2.30:9120", "token s3cret-s3cret-s3cret")
                .configOrThrow().coordinator().orElseThrow();

        assertThat(coordinator.token()).isEqualTo(new CoordinatorToken.Literal("s3cret-s3cret-s3cret"));
        assertThat(coordinator.toString()).doesNotContain("s3cret");
    }

    @Test
    void shouldLeaveTheCoordinatorAbsentWithoutTheBlock() {
        ParseResult result = parse(dir, "quorum {\n connect 192.0.2.21:2181\n}\n");

        assertThat(result.configOrThrow().coordinator()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://192.0.2.30:9120", "http://192.0.2.30", "http://192.0.2.30:9120/v1/nodes",
            "192.0.2.30:9120", "http://[bad:9120"})
    void shouldRejectAUrlThatIsNotHttpHostAndPortWithItsLine(String url) {
        ParseResult result = parseCoordinator("url " + url, "token_file /etc/quorum-vip/token");

        assertThat(result.errors()).anySatisfy(f -> {
            assertThat(f.line()).isEqualTo(2);
            assertThat(f.message()).startsWith("url " + url);
            assertThat(f.hint()).contains("http://");
        });
    }

    @Test
    void shouldRejectTwoTokenSources() {
        ParseResult result = parseCoordinator("url http://192.0.2.30:9120", "token_file /etc/quorum-vip/token",
                "token abcdefabcdefabcdef");

        assertThat(result.errors()).singleElement().satisfies(f -> {
            assertThat(f.line()).isEqualTo(4);
            assertThat(f.message()).isEqualTo("second token source `token` (the first is at line 3)");
            assertThat(f.hint()).contains("keep one of");
        });
    }

    @Test
    void shouldRejectABlockWithoutToken() {
        ParseResult result = parseCoordinator("url http://192.0.2.30:9120");

        assertThat(result.errors()).singleElement().satisfies(f -> {
            assertThat(f.line()).isEqualTo(1);
            assertThat(f.message()).isEqualTo("coordinator block has no `token_file` or `token`");
        });
    }

    @Test
    void shouldRejectABlockWithoutUrl() {
        ParseResult result = parseCoordinator("token_file /etc/quorum-vip/token");

        assertThat(result.errors()).singleElement().satisfies(f ->
                assertThat(f.message()).isEqualTo("coordinator block has no valid `url`"));
    }

    @Test
    void shouldRejectARelativeTokenFileAndADuplicateUrlAndASecondBlock() {
        ParseResult result = parse(dir, "coordinator {\n url http://192.0.2.30:9120\n url http://192.0.2.30:9120\n"
                + " token_file token.txt\n}\ncoordinator {\n url http://192.0.2.31:9120\n}\n");

        assertThat(result.errors()).extracting(Finding::line, Finding::message).contains(
                tuple(3, "url http://192.0.2.30:9120 is listed twice"),
                tuple(4, "token_file token.txt is not an absolute path"),
                tuple(6, "second `coordinator` block (the first is at line 1)"));
    }
}
