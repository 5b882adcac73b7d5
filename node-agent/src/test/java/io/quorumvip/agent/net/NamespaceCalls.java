package io.quorumvip.agent.net;

import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.SaveError;

/** The libc calls only the tests need: moving a thread into a network namespace. */
public interface NamespaceCalls {
    NamespaceCalls INSTANCE = LibraryLoader.create(NamespaceCalls.class).load("c");

    int O_RDONLY = 0;
    int O_CLOEXEC = 0x80000;
    int CLONE_NEWNET = 0x40000000;

    @SaveError
    int open(String path, int flags);

    @SaveError
    int setns(int fd, int namespaceType);

    @SaveError
    int close(int fd);
}
