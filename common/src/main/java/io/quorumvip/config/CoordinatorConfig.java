package io.quorumvip.config;

import java.net.URI;
import java.util.List;

/**
 * The top-level {@code coordinator} block: where the agent ships its journal.
 *
 * @param urls  {@code url}, one or more; each coordinator gets every record
 * @param token {@code token} or {@code token_file}: the bearer token of this node
 */
public record CoordinatorConfig(List<URI> urls, CoordinatorToken token, SourcePosition position) {

    public CoordinatorConfig {
        urls = List.copyOf(urls);
    }
}
