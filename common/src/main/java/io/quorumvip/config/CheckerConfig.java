package io.quorumvip.config;

/** One checker block of a real server, with its timing and target resolved. Several on one server are ANDed. */
public record CheckerConfig(CheckKind kind, SourcePosition position, CheckTiming timing, CheckTarget target) {
}
