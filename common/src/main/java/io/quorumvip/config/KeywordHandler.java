package io.quorumvip.config;

/** Reads one keyword's statement into the draft of the block it appears in (keepalived: one handler per keyword). */
@FunctionalInterface
interface KeywordHandler<T> {

    void handle(Statement statement, T draft, Diagnostics diagnostics);
}
