package io.quorumvip.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever an operator writes, the parser answers with findings, never with an exception. */
class ParserRobustnessTest {

    private static final Path MAIN = Path.of("/etc/keepalived/keepalived.conf");

    @Provide
    Arbitrary<String> configText() {
        Arbitrary<String> words = Arbitraries.of("vrrp_instance", "VI_1", "{", "}", "interface", "eth0",
                "virtual_router_id", "51", "300", "priority", "virtual_ipaddress", "192.0.2.200/24", "dev",
                "\"quoted text", "\"a b\"", "#", "!", "@main", "@^x", "$P=1", "${P}", "$P", "include", "other.conf",
                "global_defs", "quorum", "connect", "zk:2181", "track_script", "weight", "-300", "\\", "vrrp_script",
                "script", "advert_int", "0.015", "state", "MASTER", "authentication", "auth_pass", "123456789");
        Arbitrary<String> line = words.list().ofMaxSize(8).map(w -> String.join(" ", w));
        return line.list().ofMaxSize(25).map(lines -> String.join("\n", lines));
    }

    @Property(tries = 500)
    void shouldAnswerAnyTextWithFindingsAndNeverThrow(@ForAll("configText") String main,
                                                       @ForAll("configText") String included) throws IOException {
        ConfigFiles files = new InMemoryConfigFiles(Map.of(MAIN, main.getBytes(StandardCharsets.UTF_8),
                MAIN.resolveSibling("other.conf"), included.getBytes(StandardCharsets.UTF_8)));

        ParseResult result = KeepalivedConfigParser.parse(MAIN, new ParseOptions(java.util.Optional.of("main"),
                files));

        assertThat(result.findings()).allSatisfy(f -> {
            assertThat(f.line()).isPositive();
            assertThat(f.column()).isPositive();
            assertThat(f.message()).isNotBlank();
        });
        assertThat(result.usableConfig().isPresent()).isEqualTo(!result.hasErrors());
    }
}
