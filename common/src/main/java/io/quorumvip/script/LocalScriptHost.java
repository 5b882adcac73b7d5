package io.quorumvip.script;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The machine's own file system and user database (getent, so NSS users count), for the agent and lint. */
public final class LocalScriptHost implements ScriptHost {

    private static final Path PROC_SELF = Path.of("/proc/self");

    @Override
    public Optional<Account> account(String user, Optional<String> group) {
        Optional<String[]> passwd = getent("passwd", user);
        if (passwd.isEmpty() || passwd.get().length < 4) {
            return Optional.empty();
        }
        try {
            int uid = Integer.parseInt(passwd.get()[2]);
            int gid = Integer.parseInt(passwd.get()[3]);
            if (group.isPresent()) {
                Optional<String[]> entry = getent("group", group.get());
                if (entry.isEmpty() || entry.get().length < 3) {
                    return Optional.empty();
                }
                gid = Integer.parseInt(entry.get()[2]);
            }
            return Optional.of(new Account(uid, gid));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public Account self() {
        try {
            return new Account((Integer) Files.getAttribute(PROC_SELF, "unix:uid"),
                    (Integer) Files.getAttribute(PROC_SELF, "unix:gid"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read who this process runs as from " + PROC_SELF + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Path> searchPath(String name) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/local/bin:/usr/bin:/bin" : path).split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<Path> realPath(Path path) {
        try {
            return Optional.of(path.toRealPath());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<List<PathFacts>> walk(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        List<PathFacts> walk = new ArrayList<>();
        Path at = absolute.getRoot();
        try {
            walk.add(facts(at));
            for (Path name : absolute) {
                at = at.resolve(name);
                walk.add(facts(at));
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(walk);
    }

    private static PathFacts facts(Path path) throws IOException {
        Map<String, Object> unix = Files.readAttributes(path, "unix:uid,gid,mode,isDirectory,isRegularFile,"
                + "isSymbolicLink", LinkOption.NOFOLLOW_LINKS);
        PathFacts.Type type = Boolean.TRUE.equals(unix.get("isDirectory")) ? PathFacts.Type.DIRECTORY
                : Boolean.TRUE.equals(unix.get("isRegularFile")) ? PathFacts.Type.REGULAR
                : Boolean.TRUE.equals(unix.get("isSymbolicLink")) ? PathFacts.Type.SYMLINK : PathFacts.Type.OTHER;
        return new PathFacts(path, type, (Integer) unix.get("uid"), (Integer) unix.get("gid"),
                (Integer) unix.get("mode") & 07777);
    }

    private static Optional<String[]> getent(String database, String key) {
        try {
            Process process = new ProcessBuilder("getent", database, key).redirectErrorStream(false).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(5, TimeUnit.SECONDS) || process.exitValue() != 0 || out.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(out.lines().findFirst().orElse("").split(":", -1));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
