package io.quorumvip.config;

import java.util.Optional;

/**
 * A {@code notify_*} script: {@code notify_master "/path/script arg" [USER [GROUP]]}.
 *
 * @param command the first word as written (a quoted string keeps its spaces and arguments)
 * @param runAs   the words after it, which keepalived reads as the user (and group) to run as
 */
public record NotifyScript(String command, Optional<String> runAs) {
}
