package io.quorumvip.config;

/** The SMTP server of {@code smtp_server HOST [PORT]}; kept for notifications, not used by the agent itself. */
public record SmtpServer(String host, int port) {

    public static final int DEFAULT_PORT = 25;
}
