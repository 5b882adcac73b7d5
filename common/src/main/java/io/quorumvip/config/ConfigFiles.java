package io.quorumvip.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The only I/O the parser does: reading configuration files and expanding {@code include} patterns. */
public interface ConfigFiles {

    List<String> readLines(Path file) throws IOException;

    /**
     * The regular files matching a glob pattern ({@code *}, {@code ?}, {@code [..]}, {@code {a,b}}) in any path
     * component, sorted like glob(3); a pattern without wildcards yields itself, whether it exists or not.
     */
    List<Path> glob(Path pattern) throws IOException;

    /** The same file under one name whatever way it was reached, to detect include cycles. */
    Path canonical(Path file) throws IOException;

    static ConfigFiles local() {
        return LocalConfigFiles.INSTANCE;
    }
}
