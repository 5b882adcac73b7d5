package io.quorumvip.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A misspelt block keyword is an error, and its block is read as the keyword meant so the linter reads on. */
class TypoRecoveryTest {

    @TempDir
    Path dir;

    private static String node(String instanceKeyword, int vrid, int priority) {
        return instanceKeyword + " VI_WEB {\n"
                + "    state BACKUP\n"
                + "    interface eth0\n"
                + "    virtual_router_id " + vrid + "\n"
                + "    priority " + priority + "\n"
                + "    virtual_ipaddress {\n"
                + "        192.0.2.200/24\n"
                + "    }\n"
                + "}\n";
    }

    @Test
    void shouldReportAMisspeltInstanceAndStillCheckWhatIsInsideIt() {
        ParseResult result = ConfigFixture.parse(dir, node("vrrp_instace", 300, 100));

        assertThat(result.errors()).extracting(Finding::line, Finding::message).containsExactly(
                tuple(1, "unknown keyword `vrrp_instace` in the top level; its block is checked as `vrrp_instance`"),
                tuple(1, "vrrp_instance `VI_WEB` has no `virtual_router_id`"),
                tuple(4, "virtual_router_id 300 is out of range (expected 1..255)"));
        assertThat(result.errors().get(0).hint()).startsWith("did you mean `vrrp_instance`?");
        assertThat(result.usableConfig()).isEmpty();
    }

    @Test
    void shouldReadMisspeltNestedBlocksAsTheKeywordsMeant() {
        ParseResult result = ConfigFixture.parse(dir, ConfigFixture.instance("VI_1", "interface eth0",
                "virtual_router_id 51", "autentication {", "    auth_type PASS", "    auth_pass 1111", "}",
                "virtual_ipaddres {", "    192.0.2.200/24 dev eth0", "    192.0.2.201/33", "}"));

        assertThat(result.errors()).extracting(Finding::line, Finding::message).containsExactly(
                tuple(4, "unknown keyword `autentication` in vrrp_instance; its block is checked as "
                        + "`authentication`"),
                tuple(8, "unknown keyword `virtual_ipaddres` in vrrp_instance; its block is checked as "
                        + "`virtual_ipaddress`"),
                tuple(10, "prefix length of 192.0.2.201 33 is out of range (expected 0..32)"));
        VrrpInstanceConfig instance = result.config().instance("VI_1").orElseThrow();
        assertThat(instance.authentication()).map(Authentication::password).contains("1111");
        assertThat(instance.virtualIpAddresses()).extracting(VirtualIpAddress::cidr).containsExactly(
                "192.0.2.200/24");
    }

    @Test
    void shouldNotGuessForAKeywordWithoutABlock() {
        ParseResult result = ConfigFixture.parse(dir, ConfigFixture.instance("VI_1", "interface eth0",
                "virtual_router_id 51", "priorty 150"));

        assertThat(result.errors()).extracting(Finding::message)
                .containsExactly("unknown keyword `priorty` in vrrp_instance");
        assertThat(result.config().instance("VI_1").orElseThrow().priority())
                .isEqualTo(VrrpInstanceConfig.DEFAULT_PRIORITY);
    }

    @Test
    void shouldReportBothTyposAndTheVridMismatchOfTwoNodesInOneLintRun() {
        Path node1 = ConfigFixture.write(dir, "node1.conf", node("vrrp_instace", 160, 150));
        Path node2 = ConfigFixture.write(dir, "node2.conf", node("vrrp_instnce", 158, 100));
        StringWriter out = new StringWriter();

        int status = LintCommand.execute(new String[] {node1.toString(), node2.toString()}, new PrintWriter(out),
                new PrintWriter(new StringWriter()));

        assertThat(status).isEqualTo(1);
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).containsExactly(
                node1 + ":1:1: error: unknown keyword `vrrp_instace` in the top level; its block is checked as "
                        + "`vrrp_instance` (did you mean `vrrp_instance`? Fix the spelling: a file with errors is "
                        + "not run)",
                node2 + ":1:1: error: unknown keyword `vrrp_instnce` in the top level; its block is checked as "
                        + "`vrrp_instance` (did you mean `vrrp_instance`? Fix the spelling: a file with errors is "
                        + "not run)",
                node2 + ":1:1: error: vrrp_instance `VI_WEB` has virtual_router_id 158 (" + node1
                        + ":1 has 160) (use one virtual_router_id on every node, or the nodes never hear each other)",
                "qvip lint: 2 files, 3 errors, 0 warnings");
    }
}
