package io.quorumvip.config;

import static io.quorumvip.config.ConfigFixture.parse;
import static io.quorumvip.config.ConfigFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncludeTest {

    @TempDir
    Path dir;

    @Test
    void shouldIncludeGlobMatchesRelativeToTheIncludingFileInSortedOrder() {
        write(dir, "conf.d/20-vi2.conf", ConfigFixture.instance("VI_2", "interface eth0", "virtual_router_id 52",
                "virtual_ipaddress { 192.0.2.202 }"));
        write(dir, "conf.d/10-vi1.conf", ConfigFixture.instance("VI_1", "interface eth0", "virtual_router_id 51",
                "virtual_ipaddress { 192.0.2.201 }"));
        write(dir, "conf.d/notes.txt", "this is not configuration\n");

        ParseResult result = parse(dir, "global_defs { router_id lb01 }\ninclude conf.d/*.conf\n");

        assertThat(result.findings()).isEmpty();
        assertThat(result.config().vrrpInstances()).extracting(VrrpInstanceConfig::name)
                .containsExactly("VI_1", "VI_2");
        assertThat(result.config().instance("VI_2").orElseThrow().position())
                .isEqualTo(new SourcePosition(dir.resolve("conf.d/20-vi2.conf"), 1, 1));
    }

    @Test
    void shouldResolveNestedIncludesAgainstEachIncludingFilesDirectory() {
        write(dir, "a/first.conf", "include b/second.conf\n");
        write(dir, "a/b/second.conf", ConfigFixture.instance("VI_1", "interface eth0", "virtual_router_id 51",
                "virtual_ipaddress { 192.0.2.201 }"));

        ParseResult result = parse(dir, "include a/first.conf\n");

        assertThat(result.findings()).isEmpty();
        assertThat(result.config().instance("VI_1")).isPresent();
    }

    @Test
    void shouldIncludeInsideABlockAndReportFindingsInTheIncludedFile() {
        write(dir, "vips.conf", "192.0.2.200\n192.0.2.300\n");

        ParseResult result = parse(dir, ConfigFixture.instance("VI_1", "interface eth0", "virtual_router_id 51",
                "virtual_ipaddress {", "include vips.conf", "}"));

        assertThat(result.errors()).extracting(Finding::file, Finding::line)
                .containsExactly(tuple(dir.resolve("vips.conf"), 2));
    }

    @Test
    void shouldMatchWildcardsInDirectoryComponents() {
        write(dir, "nodes/web/vrrp.conf", ConfigFixture.instance("WEB", "interface eth0", "virtual_router_id 51",
                "virtual_ipaddress { 192.0.2.201 }"));
        write(dir, "nodes/api/vrrp.conf", ConfigFixture.instance("API", "interface eth0", "virtual_router_id 52",
                "virtual_ipaddress { 192.0.2.202 }"));
        write(dir, "nodes/api/other.conf", "this would not parse {\n");

        ParseResult result = parse(dir, "include nodes/*/vrrp.conf\n");

        assertThat(result.findings()).isEmpty();
        assertThat(result.config().vrrpInstances()).extracting(VrrpInstanceConfig::name)
                .containsExactly("API", "WEB");
    }

    @Test
    void shouldReportAnIncludeCycleAtTheIncludeLine() {
        write(dir, "a.conf", "include b.conf\n");
        write(dir, "b.conf", "\ninclude a.conf\n");

        ParseResult result = parse(write(dir, "a.conf", "include b.conf\n"), ParseOptions.defaults());

        assertThat(result.errors()).singleElement().satisfies(f -> {
            assertThat(f.file()).isEqualTo(dir.resolve("b.conf"));
            assertThat(f.line()).isEqualTo(2);
            assertThat(f.message()).isEqualTo("include cycle: " + dir.resolve("a.conf") + " -> "
                    + dir.resolve("b.conf") + " -> " + dir.resolve("a.conf"));
        });
    }

    @Test
    void shouldWarnAboutAMissingIncludedFileAndReadTheRestLikeKeepalived() {
        ParseResult result = parse(dir, "\n  include missing.conf\n");

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).extracting(Finding::line, Finding::column, Finding::message)
                .containsExactly(tuple(2, 3, "included file " + dir.resolve("missing.conf") + " does not exist; "
                        + "the rest is read without it, as keepalived does"));
    }

    @Test
    void shouldWarnWhenAGlobMatchesNothing() {
        ParseResult result = parse(dir, "include \"conf.d/*.conf\"\n");

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).extracting(Finding::message)
                .containsExactly("include pattern `conf.d/*.conf` matches no file");
    }

    @Test
    void shouldExpandBraceAlternativesInIncludePatterns() {
        write(dir, "x.conf", "global_defs { router_id from-x }\n");
        write(dir, "y.conf", "global_defs { vrrp_version 3 }\n");

        ParseResult result = parse(dir, "include {x,y}.conf\n");

        assertThat(result.findings()).isEmpty();
        assertThat(result.config().globalDefs().routerId()).contains("from-x");
        assertThat(result.config().globalDefs().vrrpVersion()).isEqualTo(3);
    }

    @Test
    void shouldReportAMalformedPatternAsAnErrorAtTheIncludeLine() {
        write(dir, "conf.d/10-vi1.conf", "");

        ParseResult result = parse(dir, "global_defs { router_id lb01 }\ninclude conf.d/[.conf\n");

        assertThat(result.errors()).extracting(Finding::line, Finding::message)
                .singleElement().satisfies(t -> assertThat(t.toList().get(1).toString())
                        .startsWith("cannot expand include pattern `conf.d/[.conf`: not a valid pattern"));
    }

    @Test
    void shouldThrowWhenTheMainFileCannotBeRead() {
        assertThatThrownBy(() -> KeepalivedConfigParser.parse(dir.resolve("absent.conf")))
                .isInstanceOf(NoSuchFileException.class);
    }
}
