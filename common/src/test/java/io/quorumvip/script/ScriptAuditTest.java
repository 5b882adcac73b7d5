package io.quorumvip.script;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.config.Finding;
import io.quorumvip.config.KeepalivedConfigParser;
import io.quorumvip.config.ParseResult;
import io.quorumvip.config.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every script of a configuration judged on this machine's own file system, with findings at file:line. */
class ScriptAuditTest {

    @TempDir
    Path dir;

    private ParseResult parse(String globalDefs, Path script) throws Exception {
        Path file = dir.resolve("keepalived.conf");
        Files.writeString(file, """
                global_defs {
                    %s
                }
                vrrp_script chk {
                    script "%s"
                }
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    priority 100
                    virtual_ipaddress {
                        192.0.2.10/24
                    }
                    notify_master "%s master"
                }
                virtual_server 192.0.2.10 80 {
                    real_server 192.0.2.51 80 {
                        MISC_CHECK {
                            misc_path "%s"
                        }
                    }
                }
                """.formatted(globalDefs, script, script, script));
        ParseResult result = KeepalivedConfigParser.parse(file);
        assertThat(result.errors()).isEmpty();
        return result;
    }

    private Path script(String permissions) throws Exception {
        Path script = dir.resolve("check.sh");
        Files.writeString(script, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString(permissions));
        return script;
    }

    @Test
    void shouldReportAWorldWritableScriptAtEachPlaceItRunsFromAsAnErrorUnderSecurity() throws Exception {
        ParseResult result = parse("script_user root\n    enable_script_security", script("rwxrwxrwx"));

        List<Finding> findings = ScriptAudit.findings(result.config(), new LocalScriptHost());

        assertThat(findings).extracting(Finding::line).containsExactly(5, 8, 19);
        assertThat(findings).allSatisfy(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.message()).contains("will not run");
        });
        assertThat(findings.get(0).message()).startsWith("vrrp_script chk `" + dir.resolve("check.sh") + "`");
        assertThat(findings.get(2).message()).startsWith("MISC_CHECK of real_server 192.0.2.51:80");
    }

    @Test
    void shouldOnlyWarnWithoutSecurityAndSayNothingOfASafeScript() throws Exception {
        ParseResult unsafe = parse("script_user root", script("rwxrwxrwx"));
        assertThat(ScriptAudit.findings(unsafe.config(), new LocalScriptHost())).hasSize(3)
                .allSatisfy(f -> assertThat(f.severity()).isEqualTo(Severity.WARNING));

        ParseResult safe = parse("script_user root\n    enable_script_security", script("rwxr-xr-x"));
        List<Finding> findings = ScriptAudit.findings(safe.config(), new LocalScriptHost());
        if (Files.getOwner(dir).getName().equals("root") && Files.getOwner(Path.of("/tmp")).getName().equals("root")) {
            assertThat(findings).isEmpty();
        }
    }
}
