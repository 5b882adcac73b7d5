package io.quorumvip.agent.nft;

/** libnftables cannot be used at all on this machine: the library is missing or has no usable context. */
public final class NftablesUnavailableException extends NftablesException {

    public NftablesUnavailableException(String message) {
        super(message, message);
    }
}
