package io.quorumvip.script;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The file system and user database a script's admission looks at: the edge, faked in tests. */
public interface ScriptHost {

    /** A user's uid and primary gid, or the group's gid when a group is named. */
    record Account(int uid, int gid) {
    }

    /** {@code user} (and {@code group}, when given) as the user database has them; empty when either is unknown. */
    Optional<Account> account(String user, Optional<String> group);

    /** Who the agent itself runs as: scripts with no user run so. */
    Account self();

    /** A bare program name found on PATH, as execvp would; empty when not found. */
    Optional<Path> searchPath(String name);

    /** The path with every symbolic link and {@code .}/{@code ..} resolved; empty when it cannot be. */
    Optional<Path> realPath(Path path);

    /** The facts of {@code /}, each directory below it, and the path itself, in that order; empty when one is missing. */
    Optional<List<PathFacts>> walk(Path path);
}
