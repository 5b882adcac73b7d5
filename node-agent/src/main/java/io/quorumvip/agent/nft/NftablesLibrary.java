package io.quorumvip.agent.nft;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;

/**
 * The part of libnftables' C API ({@code nftables/libnftables.h}, Debian package libnftables1 1.0.6) that
 * {@link Libnftables} calls, through jnr-ffi. Debian ships no header without the -dev package; the signatures and
 * the flag value were checked against nftables' own header and src/libnftables.c. Public only because jnr-ffi
 * generates its implementation in another class loader; use {@link Libnftables}.
 */
public interface NftablesLibrary {

    /** The runtime library's file name: the package ships only the versioned name, not {@code libnftables.so}. */
    String FILE_NAME = "libnftables.so.1";

    /** NFT_CTX_DEFAULT: the context opens its netfilter netlink socket at once, in the caller's namespace. */
    int NFT_CTX_DEFAULT = 0;
    /** NFT_CTX_OUTPUT_HANDLE: list output carries each rule's handle, which deleting a single rule needs. */
    int NFT_CTX_OUTPUT_HANDLE = 1 << 3;
    /** NFT_CTX_OUTPUT_JSON: output is JSON, and (up to 1.0.6) input is parsed as JSON first. */
    int NFT_CTX_OUTPUT_JSON = 1 << 4;

    Pointer nft_ctx_new(int flags);

    void nft_ctx_free(Pointer ctx);

    void nft_ctx_output_set_flags(Pointer ctx, int flags);

    /** @return 0 on success */
    int nft_ctx_buffer_output(Pointer ctx);

    /** @return 0 on success */
    int nft_ctx_buffer_error(Pointer ctx);

    /** {@code buffer} is NUL-terminated UTF-8. @return 0 on success. */
    int nft_run_cmd_from_buffer(Pointer ctx, @In byte[] buffer);

    /** What the last command printed; valid until the next command. */
    Pointer nft_ctx_get_output_buffer(Pointer ctx);

    /** The errors (and warnings) of the last command; valid until the next command. */
    Pointer nft_ctx_get_error_buffer(Pointer ctx);
}
