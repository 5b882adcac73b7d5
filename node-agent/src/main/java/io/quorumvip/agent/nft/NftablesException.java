package io.quorumvip.agent.nft;

import java.io.IOException;

/**
 * libnftables refused a command, or the command was not libnftables JSON. {@link #errorText()} is what libnftables
 * wrote to its error buffer (e.g. {@code Error: Could not process rule: No such file or directory}), or our own
 * explanation when the input never reached it.
 */
public class NftablesException extends IOException {
    private final String errorText;

    public NftablesException(String message, String errorText) {
        super(message);
        this.errorText = errorText;
    }

    /** The error text as libnftables gave it (may span several lines), or ours when it never saw the command. */
    public String errorText() {
        return errorText;
    }
}
