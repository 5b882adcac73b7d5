package io.quorumvip.config;

/** The {@code state} an instance starts in; keepalived's default is BACKUP. */
public enum InitialState {
    MASTER,
    BACKUP
}
