package io.quorumvip.config;

/** The SMTP server of {@code smtp_server HOST [PORT]}; where the agent sends its e-mail alerts. */
public record SmtpServer(String host, int port) {

    public static final int DEFAULT_PORT = 25;
}
