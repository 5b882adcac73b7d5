package io.quorumvip.agent.nft;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quorumvip.agent.net.LibC;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;

/**
 * nftables driven in-process through libnftables' JSON API (libnftables-json(5)), with jnr-ffi: no {@code nft}
 * process per change.
 *
 * <p>{@link #run} takes one {@code {"nftables":[...]}} document. libnftables sends all of its commands to the kernel
 * as one netlink batch, which nf_tables applies as one transaction: either every command takes effect or none does.
 * A list command returns its JSON; commands that change the ruleset return an empty string.
 *
 * <p><b>Namespaces.</b> The context's netfilter socket is opened by {@link #open} in the network namespace of the
 * calling thread, and every command goes to that namespace's ruleset. libnftables resolves interface names (e.g. the
 * {@code dev} of a netdev chain) with a socket of its own in the namespace of the thread that calls {@link #run}:
 * call both from threads of one namespace (the agent runs in one).
 *
 * <p><b>Threads.</b> Safe to share. libnftables keeps process-wide state (its interface cache, one-time
 * initialisation), so calls are serialised over every context in the process, not just this one.
 */
public final class Libnftables implements AutoCloseable {
    private static final ReentrantLock NATIVE = new ReentrantLock();
    /**
     * A document this long (characters) is followed by a {@code malloc_trim}: libnftables frees what it parsed
     * (jansson's tree, its own objects, the netlink batch: tens of times the document), but glibc keeps freed
     * pages in its arenas, so a start-up program of tens of MB left the agent's RSS gigabytes high for good (issue
     * 12). A pool change's diff is far smaller and pays nothing.
     */
    private static final int TRIM_AFTER = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile NftablesLibrary library;

    private final NftablesLibrary nft;
    private Pointer context;

    private Libnftables(NftablesLibrary nft, Pointer context) {
        this.nft = nft;
        this.context = context;
    }

    /**
     * Opens a context whose output (and errors) go to buffers, with JSON output and rule handles.
     *
     * @throws NftablesUnavailableException libnftables.so.1 is not installed (Debian package libnftables1), or this
     *                                      kernel has no nf_tables netlink family
     */
    public static Libnftables open() throws NftablesUnavailableException {
        NftablesLibrary nft = library();
        // libnftables exit()s the whole process when it cannot open its netlink socket: find out first.
        requireNetfilterNetlink();
        NATIVE.lock();
        try {
            Pointer context = nft.nft_ctx_new(NftablesLibrary.NFT_CTX_DEFAULT);
            if (context == null) {
                throw new NftablesUnavailableException("nft_ctx_new returned no context (out of memory?)");
            }
            nft.nft_ctx_output_set_flags(context,
                    NftablesLibrary.NFT_CTX_OUTPUT_JSON | NftablesLibrary.NFT_CTX_OUTPUT_HANDLE);
            if (nft.nft_ctx_buffer_output(context) != 0 || nft.nft_ctx_buffer_error(context) != 0) {
                nft.nft_ctx_free(context);
                throw new NftablesUnavailableException("libnftables could not buffer its output (fopencookie failed)");
            }
            return new Libnftables(nft, context);
        } finally {
            NATIVE.unlock();
        }
    }

    /**
     * Runs one libnftables JSON document as one transaction.
     *
     * @param command {@code {"nftables":[{"add":{...}}, ...]}} as libnftables-json(5) describes it
     * @return what libnftables printed: the JSON of list commands, empty for commands that only change things
     * @throws NftablesException the document is not JSON with an {@code nftables} array (nothing was sent), or
     *                           libnftables or the kernel refused it (nothing was applied); {@link
     *                           NftablesException#errorText()} carries libnftables' error buffer
     * @throws IllegalStateException after {@link #close}
     */
    public String run(String command) throws NftablesException {
        requireNftablesJson(command);
        byte[] utf8 = command.getBytes(StandardCharsets.UTF_8);
        byte[] terminated = Arrays.copyOf(utf8, utf8.length + 1);
        NATIVE.lock();
        try {
            if (context == null) {
                throw new IllegalStateException("libnftables context is closed");
            }
            int status = nft.nft_run_cmd_from_buffer(context, terminated);
            String output = text(nft.nft_ctx_get_output_buffer(context));
            String errors = text(nft.nft_ctx_get_error_buffer(context));
            if (utf8.length >= TRIM_AFTER) {
                LibC.INSTANCE.malloc_trim(0);
            }
            if (status != 0) {
                throw new NftablesException("libnftables refused the transaction (status " + status + "; nothing of"
                        + " it was applied): " + errors.strip(), errors);
            }
            return output;
        } finally {
            NATIVE.unlock();
        }
    }

    /** Frees the context and closes its socket; the ruleset stays as it is. Safe to call twice. */
    @Override
    public void close() {
        NATIVE.lock();
        try {
            if (context != null) {
                nft.nft_ctx_free(context);
                context = null;
            }
        } finally {
            NATIVE.unlock();
        }
    }

    /**
     * libnftables 1.0.6 parses its input as JSON only when it is valid JSON, and otherwise as nft's own language,
     * whose "syntax error" would hide the real mistake: so the shape is checked here first. Token by token, not as a
     * tree: a whole program at 10,000 real servers is tens of MB of JSON, whose tree took hundreds of MB of heap.
     */
    private static void requireNftablesJson(String command) throws NftablesException {
        boolean hasArray = false;
        try (JsonParser parser = JSON.getFactory().createParser(command)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw notNftables("no top-level \"nftables\" array");
            }
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                boolean nftables = parser.currentName().equals("nftables");
                JsonToken value = parser.nextToken();
                hasArray |= nftables && value == JsonToken.START_ARRAY;
                parser.skipChildren();
            }
            if (parser.nextToken() != null) {
                throw notNftables("not JSON: more after the top-level object");
            }
        } catch (JsonProcessingException e) {
            throw notNftables("not JSON: " + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw new UncheckedIOException("reading a string cannot fail", e);
        }
        if (!hasArray) {
            throw notNftables("no top-level \"nftables\" array");
        }
    }

    private static NftablesException notNftables(String problem) {
        return new NftablesException("libnftables command rejected before sending: " + problem
                + " (expected {\"nftables\":[...]}, libnftables-json(5))", problem);
    }

    private static String text(Pointer buffer) {
        return buffer == null ? "" : buffer.getString(0, Integer.MAX_VALUE, StandardCharsets.UTF_8);
    }

    private static NftablesLibrary library() throws NftablesUnavailableException {
        NftablesLibrary loaded = library;
        if (loaded != null) {
            return loaded;
        }
        NATIVE.lock();
        try {
            if (library == null) {
                library = load(NftablesLibrary.FILE_NAME);
            }
            return library;
        } finally {
            NATIVE.unlock();
        }
    }

    static NftablesLibrary load(String fileName) throws NftablesUnavailableException {
        try {
            return LibraryLoader.create(NftablesLibrary.class).failImmediately().load(fileName);
        } catch (LinkageError e) {
            throw new NftablesUnavailableException("cannot load " + fileName + " (" + e.getMessage() + "): install"
                    + " the Debian package libnftables1 (apt-get install libnftables1); the nftables data plane"
                    + " drives it in-process");
        }
    }

    private static void requireNetfilterNetlink() throws NftablesUnavailableException {
        LibC libc = LibC.INSTANCE;
        int fd = libc.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, LibC.NETLINK_NETFILTER);
        if (fd < 0) {
            throw new NftablesUnavailableException("cannot open a netfilter netlink socket: " + LibC.lastErrorText()
                    + "; this kernel or container gives no access to nf_tables");
        }
        libc.close(fd);
    }
}
