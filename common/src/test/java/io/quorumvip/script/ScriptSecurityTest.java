package io.quorumvip.script;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.config.GlobalDefs;
import io.quorumvip.config.GarpSettings;
import io.quorumvip.config.SmtpAlertDefaults;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** keepalived's check_script_secure / get_default_script_user held on a fake file system and user database. */
class ScriptSecurityTest {

    private static final int DIR = 0755;
    private static final int FILE = 0755;

    /** A file system of lstat facts by path, symbolic links by target, and users by name. */
    private static final class FakeHost implements ScriptHost {
        final Map<Path, PathFacts> files = new HashMap<>();
        final Map<Path, Path> links = new HashMap<>();
        final Map<String, Account> users = new HashMap<>(Map.of("root", new Account(0, 0),
                "nobody", new Account(65534, 65534)));

        FakeHost() {
            put("/", PathFacts.Type.DIRECTORY, 0, 0, DIR);
            put("/etc", PathFacts.Type.DIRECTORY, 0, 0, DIR);
            put("/etc/keepalived", PathFacts.Type.DIRECTORY, 0, 0, DIR);
            put("/etc/keepalived/check.sh", PathFacts.Type.REGULAR, 0, 0, FILE);
        }

        FakeHost put(String path, PathFacts.Type type, int uid, int gid, int mode) {
            files.put(Path.of(path), new PathFacts(Path.of(path), type, uid, gid, mode));
            return this;
        }

        @Override
        public Optional<Account> account(String user, Optional<String> group) {
            return Optional.ofNullable(users.get(user));
        }

        @Override
        public Account self() {
            return new Account(0, 0);
        }

        @Override
        public Optional<Path> searchPath(String name) {
            Path candidate = Path.of("/etc/keepalived", name);
            return files.containsKey(candidate) ? Optional.of(candidate) : Optional.empty();
        }

        @Override
        public Optional<Path> realPath(Path path) {
            return files.containsKey(path) ? Optional.of(links.getOrDefault(path, path)) : Optional.empty();
        }

        @Override
        public Optional<List<PathFacts>> walk(Path path) {
            List<PathFacts> walk = new ArrayList<>();
            Path at = path.getRoot();
            walk.add(files.get(at));
            for (Path name : path) {
                at = at.resolve(name);
                if (!files.containsKey(at)) {
                    return Optional.empty();
                }
                walk.add(files.get(at));
            }
            return Optional.of(walk);
        }
    }

    private static GlobalDefs global(Optional<String> scriptUser, boolean security) {
        return new GlobalDefs(Optional.empty(), Optional.empty(), List.of(), Optional.empty(), Optional.empty(),
                GlobalDefs.DEFAULT_SMTP_CONNECT_TIMEOUT, 2, GarpSettings.KEEPALIVED_DEFAULTS, Optional.empty(),
                new SmtpAlertDefaults(Optional.empty(), Optional.empty(), Optional.empty()), scriptUser, security);
    }

    private static ScriptSecurity.Admission admit(FakeHost host, String line, boolean security) {
        return ScriptSecurity.admit(line, Optional.empty(), global(Optional.of("root"), security), host);
    }

    @Test
    void shouldRunARootOwnedScriptInRootOwnedDirectories() {
        ScriptSecurity.Admission admission = admit(new FakeHost(), "/etc/keepalived/check.sh arg", true);

        assertThat(admission.refusal()).isEmpty();
        assertThat(admission.warning()).isEmpty();
        assertThat(admission.runAs()).hasValue("root");
    }

    @Test
    void shouldRefuseAGroupWritableScriptWithSecurityAndOnlyWarnWithout() {
        FakeHost host = new FakeHost().put("/etc/keepalived/check.sh", PathFacts.Type.REGULAR, 0, 1000, 0775);

        assertThat(admit(host, "/etc/keepalived/check.sh", true).refusal()).hasValueSatisfying(why ->
                assertThat(why).isEqualTo("`/etc/keepalived/check.sh` runs as root but /etc/keepalived/check.sh is "
                        + "writable by group 1000"));
        ScriptSecurity.Admission without = admit(host, "/etc/keepalived/check.sh", false);
        assertThat(without.refusal()).isEmpty();
        assertThat(without.warning()).hasValueSatisfying(why -> assertThat(why).contains("writable by group 1000"));
    }

    @Test
    void shouldAllowGroupWriteWhenTheGroupIsRoot() {
        FakeHost host = new FakeHost().put("/etc/keepalived/check.sh", PathFacts.Type.REGULAR, 0, 0, 0775);

        assertThat(admit(host, "/etc/keepalived/check.sh", true).refusal()).isEmpty();
    }

    @Test
    void shouldRefuseADirectoryAboveTheScriptOwnedByAnotherUser() {
        FakeHost host = new FakeHost().put("/etc/keepalived", PathFacts.Type.DIRECTORY, 1000, 1000, 0755);

        assertThat(admit(host, "/etc/keepalived/check.sh", true).refusal()).hasValueSatisfying(why ->
                assertThat(why).endsWith("/etc/keepalived is owned by uid 1000, not root"));
    }

    @Test
    void shouldAcceptAWorldWritableDirectoryOnlyWithTheStickyBit() {
        FakeHost sticky = new FakeHost().put("/etc", PathFacts.Type.DIRECTORY, 0, 0, 01777);
        FakeHost open = new FakeHost().put("/etc", PathFacts.Type.DIRECTORY, 0, 0, 0777);

        assertThat(admit(sticky, "/etc/keepalived/check.sh", true).refusal()).isEmpty();
        assertThat(admit(open, "/etc/keepalived/check.sh", true).refusal()).hasValueSatisfying(why ->
                assertThat(why).endsWith("/etc is writable by everyone"));
    }

    @Test
    void shouldJudgeTheRealPathBehindASymbolicLinkToo() {
        FakeHost host = new FakeHost()
                .put("/etc/keepalived/link.sh", PathFacts.Type.SYMLINK, 0, 0, 0777)
                .put("/home", PathFacts.Type.DIRECTORY, 0, 0, DIR)
                .put("/home/op", PathFacts.Type.DIRECTORY, 1000, 1000, 0755)
                .put("/home/op/check.sh", PathFacts.Type.REGULAR, 1000, 1000, 0755);
        host.links.put(Path.of("/etc/keepalived/link.sh"), Path.of("/home/op/check.sh"));

        assertThat(admit(host, "/etc/keepalived/link.sh", true).refusal()).hasValueSatisfying(why ->
                assertThat(why).endsWith("/home/op is owned by uid 1000, not root"));
    }

    @Test
    void shouldNotProtectAScriptRunAsAnUnprivilegedUserUnlessItIsSetUidRoot() {
        FakeHost host = new FakeHost().put("/etc/keepalived/check.sh", PathFacts.Type.REGULAR, 1000, 1000, 0777);
        GlobalDefs asNobody = global(Optional.of("nobody"), true);

        assertThat(ScriptSecurity.admit("/etc/keepalived/check.sh", Optional.empty(), asNobody, host).refusal())
                .isEmpty();
        host.put("/etc/keepalived/check.sh", PathFacts.Type.REGULAR, 0, 1000, 04775);
        assertThat(ScriptSecurity.admit("/etc/keepalived/check.sh", Optional.empty(), asNobody, host).refusal())
                .hasValueSatisfying(why -> assertThat(why).contains("writable by group 1000"));
    }

    @Test
    void shouldSearchPathForABareNameAndRefuseOneNotFoundOnlyUnderSecurity() {
        FakeHost host = new FakeHost();

        assertThat(admit(host, "check.sh", true).refusal()).isEmpty();
        assertThat(admit(host, "missing.sh", true).refusal()).hasValue("`missing.sh` is not found on PATH");
        assertThat(admit(host, "missing.sh", false).warning()).as("left to fail when run").isEmpty();
    }

    @Test
    void shouldPickTheScriptsOwnUserThenScriptUserThenKeepalivedScriptThenTheAgent() {
        FakeHost host = new FakeHost();
        GlobalDefs none = global(Optional.empty(), false);

        assertThat(ScriptUsers.of(none, host).runAs(Optional.of("nobody"))).hasValue("nobody");
        assertThat(ScriptUsers.of(global(Optional.of("nobody nogroup"), false), host).runAs(Optional.empty()))
                .hasValue("nobody nogroup");
        assertThat(ScriptUsers.of(none, host).runAs(Optional.empty())).as("the agent's own user").isEmpty();
        host.users.put(ScriptSecurity.DEFAULT_USER, new ScriptHost.Account(998, 998));
        assertThat(ScriptUsers.of(none, host).runAs(Optional.empty())).hasValue(ScriptSecurity.DEFAULT_USER);
    }

    @Test
    void shouldRefuseScriptsWithoutAUserUnderSecurityWhenNoDefaultUserExists() {
        FakeHost host = new FakeHost();
        GlobalDefs secure = global(Optional.empty(), true);

        assertThat(ScriptSecurity.admit("/etc/keepalived/check.sh", Optional.empty(), secure, host).refusal())
                .hasValueSatisfying(why -> assertThat(why).contains("keepalived_script does not exist"));
        assertThat(ScriptSecurity.admit("/etc/keepalived/check.sh", Optional.of("root"), secure, host).refusal())
                .isEmpty();
        assertThat(ScriptSecurity.admit("/etc/keepalived/check.sh", Optional.of("ghost"), secure, host).refusal())
                .hasValue("script user `ghost` does not exist");
    }
}
