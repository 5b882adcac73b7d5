package io.quorumvip.script;

import io.quorumvip.config.GlobalDefs;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * keepalived's rules for who runs a script and whether it may (lib/notify.c {@code get_default_script_user},
 * {@code check_script_secure}, {@code check_security}), as a pure judgement over what a {@link ScriptHost} reports.
 *
 * <ul>
 *   <li>A script runs as its own {@code USER [GROUP]} when given; else as global_defs {@code script_user}; else as
 *       {@code keepalived_script} when that user exists; else as the agent itself. With
 *       {@code enable_script_security} and neither script_user nor keepalived_script, a script with no user of its
 *       own is refused ("Unable to set default user keepalived_script for script").</li>
 *   <li>A script that will run with root's uid or gid (or is set-uid/set-gid root) must not be writable by anyone
 *       but root: {@code /}, every directory down to it and the file itself (and again along its real path when a
 *       symbolic link leads elsewhere) must be owned by root, and each directory without the sticky bit and the file
 *       must be neither group-writable (unless the group is root) nor world-writable. A symbolic link is judged by
 *       its owner only.</li>
 *   <li>With {@code enable_script_security} an unsafe or missing script is refused (keepalived disables it);
 *       without, an unsafe one runs and the finding is a warning, as keepalived's log line is, and a missing one is
 *       left to fail when run.</li>
 * </ul>
 */
public final class ScriptSecurity {

    /** keepalived's default script user, used when it exists and script_user is not set. */
    public static final String DEFAULT_USER = "keepalived_script";

    private ScriptSecurity() {
    }

    /**
     * What happens to one script.
     *
     * @param runAs   {@code USER [GROUP]} to run it as; empty: as the agent
     * @param refusal why it must not run (only with enable_script_security or an unknown user)
     * @param warning what is unsafe about it, when it runs all the same
     */
    public record Admission(Optional<String> runAs, Optional<String> refusal, Optional<String> warning) {

        static Admission refused(String why) {
            return new Admission(Optional.empty(), Optional.of(why), Optional.empty());
        }
    }

    /** keepalived's judgement of the script whose command line is {@code commandLine}. */
    public static Admission admit(String commandLine, Optional<String> own, GlobalDefs global, ScriptHost host) {
        boolean security = global.scriptSecurity();
        if (own.isEmpty() && global.scriptUser().isEmpty() && security
                && host.account(DEFAULT_USER, Optional.empty()).isEmpty()) {
            return Admission.refused("enable_script_security is set, no script_user is, and the default script "
                    + "user " + DEFAULT_USER + " does not exist");
        }
        Optional<String> runAs = ScriptUsers.of(global, host).runAs(own);
        ScriptHost.Account account;
        if (runAs.isPresent()) {
            String[] words = runAs.get().trim().split("\\s+");
            Optional<ScriptHost.Account> found = host.account(words[0],
                    words.length > 1 ? Optional.of(words[1]) : Optional.empty());
            if (found.isEmpty()) {
                return Admission.refused("script user `" + runAs.get() + "` does not exist");
            }
            account = found.get();
        } else {
            account = host.self();
        }
        Optional<Problem> problem = problem(commandLine, account, host);
        if (problem.isEmpty() || !security && problem.get().missing()) {
            return new Admission(runAs, Optional.empty(), Optional.empty());
        }
        return security ? Admission.refused(problem.get().why())
                : new Admission(runAs, Optional.empty(), Optional.of(problem.get().why()));
    }

    /**
     * Why a script may not run. A missing one is only refused under enable_script_security: without it the run
     * fails as any failing script does, and lint may be reading a file meant for another machine.
     */
    private record Problem(String why, boolean missing) {
    }

    private static Optional<Problem> problem(String commandLine, ScriptHost.Account account, ScriptHost host) {
        String program;
        try {
            program = ScriptCommand.split(commandLine).get(0);
        } catch (IllegalArgumentException e) {
            return Optional.of(new Problem(e.getMessage(), true));
        }
        Optional<Path> path = program.contains("/") ? Optional.of(Path.of(program)) : host.searchPath(program);
        if (path.isEmpty()) {
            return Optional.of(new Problem("`" + program + "` is not found on PATH", true));
        }
        Optional<List<PathFacts>> walk = host.walk(path.get());
        Optional<Path> real = host.realPath(path.get());
        Optional<List<PathFacts>> realWalk = real.flatMap(host::walk);
        if (walk.isEmpty() || realWalk.isEmpty()) {
            return Optional.of(new Problem("`" + path.get() + "` does not exist", true));
        }
        PathFacts file = realWalk.get().get(realWalk.get().size() - 1);
        if (!needsProtection(account, file)) {
            return Optional.empty();
        }
        Optional<String> unsafe = unsafe(walk.get());
        if (unsafe.isEmpty() && !real.get().equals(path.get())) {
            unsafe = unsafe(realWalk.get());
        }
        return unsafe.map(why -> new Problem("`" + path.get() + "` runs as root but " + why, false));
    }

    /** keepalived protects a script run with root's uid or gid, or one set-uid/set-gid root. */
    static boolean needsProtection(ScriptHost.Account account, PathFacts file) {
        int mode = file.mode();
        return account.uid() == 0 || account.gid() == 0
                || file.uid() == 0 && (mode & PathFacts.OWNER_EXECUTE) != 0 && (mode & PathFacts.SET_UID) != 0
                || file.gid() == 0 && (mode & PathFacts.GROUP_EXECUTE) != 0 && (mode & PathFacts.SET_GID) != 0;
    }

    /**
     * keepalived's {@code check_security} over a walk from {@code /} to a script: the first component anyone but
     * root could change, and how.
     */
    static Optional<String> unsafe(List<PathFacts> walk) {
        for (int i = 0; i < walk.size(); i++) {
            PathFacts facts = walk.get(i);
            boolean last = i == walk.size() - 1;
            if (!last && facts.type() != PathFacts.Type.DIRECTORY
                    || last && facts.type() != PathFacts.Type.REGULAR && facts.type() != PathFacts.Type.SYMLINK) {
                return Optional.of(facts.path() + " is not a " + (last ? "file" : "directory"));
            }
            if (facts.uid() != 0) {
                return Optional.of(facts.path() + " is owned by uid " + facts.uid() + ", not root");
            }
            boolean guarded = facts.type() == PathFacts.Type.DIRECTORY && (facts.mode() & PathFacts.STICKY) == 0
                    || facts.type() == PathFacts.Type.REGULAR;
            if (guarded && facts.gid() != 0 && (facts.mode() & PathFacts.GROUP_WRITE) != 0) {
                return Optional.of(facts.path() + " is writable by group " + facts.gid());
            }
            if (guarded && (facts.mode() & PathFacts.OTHERS_WRITE) != 0) {
                return Optional.of(facts.path() + " is writable by everyone");
            }
        }
        return Optional.empty();
    }
}
