package io.quorumvip.script;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@code lstat} says of one path (no symbolic link followed): the facts keepalived's {@code check_security}
 * judges a script's path by.
 *
 * @param mode the permission bits with set-uid, set-gid and sticky ({@code st_mode & 07777})
 */
public record PathFacts(Path path, Type type, int uid, int gid, int mode) {

    /** The kinds of file keepalived tells apart here. */
    public enum Type { DIRECTORY, REGULAR, SYMLINK, OTHER }

    static final int SET_UID = 04000;
    static final int SET_GID = 02000;
    static final int STICKY = 01000;
    static final int OWNER_EXECUTE = 0100;
    static final int GROUP_WRITE = 020;
    static final int GROUP_EXECUTE = 010;
    static final int OTHERS_WRITE = 02;

    public PathFacts {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
    }
}
