package io.quorumvip.config;

import static io.quorumvip.config.ConfigFixture.parse;
import static io.quorumvip.config.ConfigFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConditionalConfigTest {

    private static final String CONDITIONAL = """
            global_defs {
                @main   router_id main_router
                @backup router_id backup_router
            }
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                @main priority 200
                virtual_ipaddress { 192.0.2.200 }
                unicast_peer {
                    @^main    192.0.2.11
                    @^backup  192.0.2.12
                }
            }
            """;

    @TempDir
    Path dir;

    private ParseResult parseAs(String configId, String text) {
        Path file = write(dir, "keepalived.conf", text);
        ParseOptions options = configId == null ? ParseOptions.defaults() : ParseOptions.defaults()
                .withConfigId(configId);
        return parse(file, options);
    }

    @Test
    void shouldKeepOnlyTheLinesOfTheConfigId() {
        KeepalivedConfig config = parseAs("main", CONDITIONAL).configOrThrow();

        assertThat(config.globalDefs().routerId()).contains("main_router");
        VrrpInstanceConfig instance = config.instance("VI_1").orElseThrow();
        assertThat(instance.priority()).isEqualTo(200);
        assertThat(instance.unicastPeers()).extracting(a -> a.getHostAddress()).containsExactly("192.0.2.12");
    }

    @Test
    void shouldKeepNoPositiveAndEveryNegatedLineWithoutAConfigId() {
        KeepalivedConfig config = parseAs(null, CONDITIONAL).configOrThrow();

        assertThat(config.globalDefs().routerId()).isEmpty();
        VrrpInstanceConfig instance = config.instance("VI_1").orElseThrow();
        assertThat(instance.priority()).isEqualTo(100);
        assertThat(instance.unicastPeers()).extracting(a -> a.getHostAddress())
                .containsExactly("192.0.2.11", "192.0.2.12");
    }

    @Test
    void shouldKeepColumnsOfConditionalLinesTrue() {
        ParseResult result = parseAs("main", "global_defs {\n@main  router_idd x\n}\n");

        assertThat(result.errors()).extracting(Finding::line, Finding::column).containsExactly(tuple(2, 8));
    }

    @Test
    void shouldSubstituteParametersWithAndWithoutBraces() {
        KeepalivedConfig config = parseAs("backup", """
                @main $PRIORITY=240
                @backup $PRIORITY=200
                $NET=192.0.2
                $IF=eth0
                vrrp_instance VI_1 {
                    interface $IF
                    virtual_router_id 51
                    priority $PRIORITY
                    virtual_ipaddress { ${NET}.200/24 }
                    notify_master "/bin/echo $HOME stays"
                }
                """).configOrThrow();

        VrrpInstanceConfig instance = config.instance("VI_1").orElseThrow();
        assertThat(instance.interfaceName()).isEqualTo("eth0");
        assertThat(instance.priority()).isEqualTo(200);
        assertThat(instance.virtualIpAddresses()).extracting(VirtualIpAddress::cidr).containsExactly("192.0.2.200/24");
        assertThat(instance.notifyScripts().master().orElseThrow().command()).isEqualTo("/bin/echo $HOME stays");
    }

    @Test
    void shouldSubstituteAtTheTimeOfUseAndRecursively() {
        KeepalivedConfig config = parseAs(null, """
                $BASE=192.0.2.${SUB}
                $SUB=20
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    virtual_ipaddress {
                        ${BASE}1
                        $SUB=21
                        ${BASE}2
                    }
                }
                """).configOrThrow();

        assertThat(config.instance("VI_1").orElseThrow().virtualIpAddresses()).extracting(VirtualIpAddress::cidr)
                .containsExactly("192.0.2.201/32", "192.0.2.212/32");
    }

    @Test
    void shouldExpandMultiLineDefinitionsWithConditionalsInside() {
        KeepalivedConfig config = parseAs("high", """
                $INSTANCE= \\
                vrrp_instance VI_${NUM} { \\
                    interface eth0 \\
                    virtual_router_id 5${NUM} \\
                    @high priority 130 \\
                    @low priority 120 \\
                    virtual_ipaddress { \\
                        192.0.2.20${NUM}/24 \\
                    } \\
                }

                $NUM=0
                $INSTANCE
                $NUM=1
                $INSTANCE
                """).configOrThrow();

        assertThat(config.vrrpInstances()).extracting(VrrpInstanceConfig::name, VrrpInstanceConfig::virtualRouterId,
                VrrpInstanceConfig::priority).containsExactly(tuple("VI_0", 50, 130), tuple("VI_1", 51, 130));
        assertThat(config.instance("VI_1").orElseThrow().position().line()).isEqualTo(15);
    }

    @Test
    void shouldReportASelfReferentialParameter() {
        ParseResult result = parseAs(null, "$LOOP=x${LOOP}\nglobal_defs { router_id ${LOOP} }\n");

        assertThat(result.errors()).extracting(Finding::line, Finding::message)
                .containsExactly(tuple(2, "parameter substitution does not terminate"));
    }

    @Test
    void shouldStopAParameterThatDoublesEveryRound() {
        ParseResult result = parseAs(null, "$D=${D} ${D}\nglobal_defs { router_id ${D} }\n");

        assertThat(result.errors()).extracting(Finding::line, Finding::message)
                .containsExactly(tuple(2, "parameter substitution does not terminate"));
    }

    @Test
    void shouldStopMultiLineDefinitionsThatMultiplyEachOther() {
        ParseResult result = parseAs(null, "$A= \\\n$B \\\n$B\n$B= \\\n$C \\\n$C\n$C= \\\n$A \\\n$A\n$A\n");

        assertThat(result.errors()).extracting(Finding::message).contains(
                "parameter expansion produces more than 100000 lines; the rest is skipped");
    }

    @Test
    void shouldProvideThePredefinedParameters() {
        KeepalivedConfig config = parseAs("node7", """
                global_defs {
                    router_id ${_INSTANCE}
                    notification_email { ops${_HASH}1@example.org }
                }
                """).configOrThrow();

        assertThat(config.globalDefs().routerId()).contains("node7");
        assertThat(config.globalDefs().notificationEmail()).containsExactly("ops#1@example.org");
    }
}
