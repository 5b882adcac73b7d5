package io.quorumvip.config;

import static io.quorumvip.config.ConfigFixture.parse;
import static io.quorumvip.config.ConfigFixture.parseClean;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntaxTest {

    @TempDir
    Path dir;

    @Test
    void shouldIgnoreCommentsInEveryPosition() {
        KeepalivedConfig config = parseClean(dir, """
                # a hash comment line
                ! a bang comment line
                global_defs { # after an opening brace
                    router_id lb01 ! after a value
                    notification_email { ops@example.org } # after a one-line block
                } # after a closing brace
                vrrp_instance VI_1 { # comment
                    interface eth0#touching the value
                    virtual_router_id 51!touching
                    virtual_ipaddress {
                        # inside a list
                        192.0.2.200 # after an entry
                    }
                    notify_master "/bin/notify # not a comment ! nor this"
                }
                """);

        assertThat(config.globalDefs().routerId()).contains("lb01");
        assertThat(config.globalDefs().notificationEmail()).containsExactly("ops@example.org");
        VrrpInstanceConfig instance = config.instance("VI_1").orElseThrow();
        assertThat(instance.interfaceName()).isEqualTo("eth0");
        assertThat(instance.virtualRouterId()).isEqualTo(51);
        assertThat(instance.notifyScripts().master().orElseThrow().command())
                .isEqualTo("/bin/notify # not a comment ! nor this");
    }

    @Test
    void shouldKeepSpacesInQuotedStringsAndSplitArgumentsAfterThem() {
        KeepalivedConfig config = parseClean(dir, """
                vrrp_script chk {
                    script "/usr/bin/check --name \\"web 1\\" --fast"
                    user nobody nogroup
                }
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    virtual_ipaddress { 192.0.2.200 }
                    track_script { chk }
                    notify_backup "/usr/local/bin/vrrp.sh  BACKUP   VI_1" keepalived_script
                }
                """);

        VrrpScript script = config.vrrpScripts().get("chk");
        assertThat(script.script()).isEqualTo("/usr/bin/check --name \"web 1\" --fast");
        assertThat(script.user()).contains("nobody nogroup");
        NotifyScript backup = config.instance("VI_1").orElseThrow().notifyScripts().backup().orElseThrow();
        assertThat(backup.command()).isEqualTo("/usr/local/bin/vrrp.sh  BACKUP   VI_1");
        assertThat(backup.runAs()).contains("keepalived_script");
    }

    @Test
    void shouldAcceptOpeningBraceOnTheNextLineAndClosingBraceAfterAWord() {
        KeepalivedConfig config = parseClean(dir, """
                vrrp_instance VI_1
                {
                    interface eth0
                    virtual_router_id 51
                    virtual_ipaddress
                    {
                        192.0.2.200/24 dev eth0}
                    authentication { auth_type PASS
                        auth_pass secret }}
                """);

        VrrpInstanceConfig instance = config.instance("VI_1").orElseThrow();
        assertThat(instance.virtualIpAddresses()).extracting(VirtualIpAddress::cidr).containsExactly("192.0.2.200/24");
        assertThat(instance.authentication()).contains(new Authentication(AuthType.PASS, "secret"));
    }

    @Test
    void shouldReadSeveralBlocksOnOneLine() {
        KeepalivedConfig config = parseClean(dir, """
                global_defs { notification_email { a@example.org b@example.org } router_id lb01 }
                vrrp_instance VI_1 { interface eth0 virtual_ipaddress { 192.0.2.200 } }
                """.replace("interface eth0 ", "interface eth0\n virtual_router_id 51\n"));

        assertThat(config.globalDefs().notificationEmail()).containsExactly("a@example.org", "b@example.org");
        assertThat(config.globalDefs().routerId()).contains("lb01");
        assertThat(config.instance("VI_1").orElseThrow().virtualIpAddresses()).hasSize(1);
    }

    @Test
    void shouldWarnAboutWordsRunningOnAfterAValueAndIgnoreThemLikeKeepalived() {
        ParseResult result = parse(dir, "global_defs { router_id lb01 smtp_server 127.0.0.1 }\n");

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).extracting(Finding::line, Finding::column, Finding::message).containsExactly(
                tuple(1, 30, "`router_id` takes at most 1 value, got 3: `router_id lb01 smtp_server 127.0.0.1`; "
                        + "the rest is ignored, as keepalived does"));
        assertThat(result.config().globalDefs().routerId()).contains("lb01");
        assertThat(result.config().globalDefs().smtpServer()).isEmpty();
    }

    @Test
    void shouldNameTheLineWhereAnUnclosedBlockBegan() {
        ParseResult result = parse(dir, """
                global_defs {
                    router_id lb01
                }
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    virtual_ipaddress {
                        192.0.2.200
                }
                """);

        assertThat(result.errors()).singleElement().satisfies(f -> {
            assertThat(f.line()).isEqualTo(4);
            assertThat(f.column()).isEqualTo(20);
            assertThat(f.message()).isEqualTo("block `vrrp_instance VI_1 {` opened at line 4 is never closed");
        });
    }

    @Test
    void shouldReportAnExtraClosingBraceAtItsLine() {
        ParseResult result = parse(dir, """
                global_defs {
                    router_id lb01
                }
                }
                """);

        assertThat(result.errors()).extracting(Finding::line, Finding::column, Finding::message)
                .containsExactly(tuple(4, 1, "`}` without a matching `{`"));
    }

    @Test
    void shouldPointAtAMissingBraceWhenATopLevelBlockAppearsNested() {
        ParseResult result = parse(dir, ConfigFixture.instance("VI_1", "interface eth0", "virtual_router_id 51",
                "virtual_ipaddress { 192.0.2.200 }").replaceFirst("}\n$", "")
                + ConfigFixture.instance("VI_2", "interface eth0", "virtual_router_id 52"));

        assertThat(result.errors()).extracting(Finding::line, Finding::message).containsExactly(
                tuple(1, "block `vrrp_instance VI_1 {` opened at line 1 is never closed"),
                tuple(5, "`vrrp_instance` is not valid inside vrrp_instance"));
        assertThat(result.errors().get(1).hint()).isEqualTo("it belongs at the top level; is a `}` missing above?");
    }

    @Test
    void shouldReportAnUnterminatedQuoteWhereItStarts() {
        ParseResult result = parse(dir, """
                vrrp_script chk {
                    script "/bin/true
                }
                """);

        assertThat(result.errors()).extracting(Finding::line, Finding::column, Finding::message)
                .contains(tuple(2, 12, "unterminated quote"));
    }

    @Test
    void shouldGiveEveryTokenItsLineAndColumn() {
        Diagnostics diagnostics = new Diagnostics();
        List<Token> tokens = LineTokenizer.tokenize("  a \"b c\"{d}", dir, 7, 1, diagnostics);

        assertThat(tokens).extracting(Token::kind, Token::text, t -> t.position().column()).containsExactly(
                tuple(Token.Kind.WORD, "a", 3),
                tuple(Token.Kind.WORD, "b c", 5),
                tuple(Token.Kind.BLOCK_OPEN, "{", 10),
                tuple(Token.Kind.WORD, "d", 11),
                tuple(Token.Kind.BLOCK_CLOSE, "}", 12));
        assertThat(tokens).allSatisfy(t -> assertThat(t.position().line()).isEqualTo(7));
        assertThat(diagnostics.findings()).isEmpty();
    }

    @Test
    void shouldStripCommentsOnlyOutsideQuotes() {
        assertThat(LineTokenizer.stripComment("a \"x # y ! z\" # gone")).isEqualTo("a \"x # y ! z\" ");
        assertThat(LineTokenizer.stripComment("a!b")).isEqualTo("a");
        assertThat(LineTokenizer.stripComment("\"q \\\" # still quoted\" # gone"))
                .isEqualTo("\"q \\\" # still quoted\" ");
    }
}
