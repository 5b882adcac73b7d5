package io.quorumvip.script;

import io.quorumvip.config.CheckKind;
import io.quorumvip.config.CheckerConfig;
import io.quorumvip.config.Finding;
import io.quorumvip.config.KeepalivedConfig;
import io.quorumvip.config.NotifyScript;
import io.quorumvip.config.NotifyScripts;
import io.quorumvip.config.RealServerConfig;
import io.quorumvip.config.Severity;
import io.quorumvip.config.SourcePosition;
import io.quorumvip.config.SyncGroupConfig;
import io.quorumvip.config.VirtualServerConfig;
import io.quorumvip.config.VrrpInstanceConfig;
import io.quorumvip.config.VrrpScript;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every script of a configuration (vrrp_script, the notify scripts of instances, sync groups, virtual and real
 * servers, MISC_CHECK) judged by {@link ScriptSecurity}: a refusal is an error at the script's block, a script that
 * runs though unsafe a warning. The agent refuses to start on an error; {@code qvip lint} prints both.
 */
public final class ScriptAudit {

    private ScriptAudit() {
    }

    public static List<Finding> findings(KeepalivedConfig config, ScriptHost host) {
        List<Finding> findings = new ArrayList<>();
        for (VrrpScript script : config.vrrpScripts().values()) {
            judge("vrrp_script " + script.name(), script.script(), script.user(), script.position(), config, host,
                    findings);
        }
        for (VrrpInstanceConfig instance : config.vrrpInstances()) {
            notify("vrrp_instance " + instance.name(), instance.notifyScripts(), instance.position(), config, host,
                    findings);
        }
        for (SyncGroupConfig group : config.syncGroups()) {
            notify("vrrp_sync_group " + group.name(), group.notifyScripts(), group.position(), config, host,
                    findings);
        }
        for (VirtualServerConfig vs : config.loadBalancing().virtualServers()) {
            Stream.of(vs.quorumUp(), vs.quorumDown()).flatMap(Optional::stream).forEach(script -> judge(
                    "virtual_server " + vs.name() + " quorum script", script.command(), script.runAs(),
                    vs.position(), config, host, findings));
            for (RealServerConfig real : vs.realServers()) {
                Stream.of(real.notifyUp(), real.notifyDown()).flatMap(Optional::stream).forEach(script -> judge(
                        "real_server " + real.endpoint() + " notify script", script.command(), script.runAs(),
                        real.position(), config, host, findings));
                for (CheckerConfig checker : real.checkers()) {
                    if (checker.kind() instanceof CheckKind.Misc misc) {
                        judge("MISC_CHECK of real_server " + real.endpoint(), misc.command(), misc.user(),
                                checker.position(), config, host, findings);
                    }
                }
            }
        }
        return findings;
    }

    private static void notify(String owner, NotifyScripts scripts, SourcePosition position, KeepalivedConfig config,
                               ScriptHost host, List<Finding> findings) {
        Stream.of(scripts.master(), scripts.backup(), scripts.fault(), scripts.stop(), scripts.any())
                .flatMap(Optional::stream).distinct().forEach((NotifyScript script) -> judge(owner + " notify script",
                        script.command(), script.runAs(), position, config, host, findings));
    }

    private static void judge(String what, String commandLine, Optional<String> own, SourcePosition position,
                              KeepalivedConfig config, ScriptHost host, List<Finding> findings) {
        ScriptSecurity.Admission admission = ScriptSecurity.admit(commandLine, own, config.globalDefs(), host);
        admission.refusal().ifPresent(why -> findings.add(Finding.at(Severity.ERROR, position, what + " `"
                + commandLine + "` will not run: " + why, hint(why))));
        admission.warning().ifPresent(why -> findings.add(Finding.at(Severity.WARNING, position, what + " `"
                + commandLine + "` is unsafe: " + why, "make it and every directory above it owned and writable by "
                + "root only; enable_script_security would refuse it")));
    }

    private static String hint(String why) {
        if (why.contains(ScriptSecurity.DEFAULT_USER)) {
            return "add `script_user USER` to global_defs, or create the user " + ScriptSecurity.DEFAULT_USER;
        }
        if (why.contains("does not exist") && why.startsWith("script user")) {
            return "create the user, or name one that exists";
        }
        return "make it and every directory above it owned and writable by root only, or run it as another user";
    }
}
