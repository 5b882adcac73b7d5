package io.quorumvip.config;

import java.time.Duration;

/**
 * The timing every checker shares, resolved from the checker, then its real server, then its virtual server, then
 * keepalived's defaults (keepalived.conf(5): "the virtual server setting is the default for real servers, and the
 * real server setting is the default for checkers").
 *
 * @param delayLoop        time between two checks of a healthy (or down) server; default 60 s
 * @param connectTimeout   how long one attempt may take; default 5 s
 * @param retry            extra attempts after a failure before a healthy server is declared down: down after
 *                         exactly retry+1 consecutive failures; default 1 (MISC_CHECK 0, DNS_CHECK 3)
 * @param delayBeforeRetry time between those attempts; default 1 s (HTTP_GET/SSL_GET 3 s, DNS_CHECK delay_loop)
 * @param warmup           the first check starts at a random point in [0, warmup); default delay_loop
 * @param alpha            start as failed, so a server joins the pool only after its first success
 * @param rise             quorum-vip's {@code rise N} (HAProxy's damping): successes in a row a failed checker
 *                         needs before it is up again; default 1, keepalived's one success
 */
public record CheckTiming(Duration delayLoop, Duration connectTimeout, int retry, Duration delayBeforeRetry,
                          Duration warmup, boolean alpha, int rise) {

    public static final Duration DEFAULT_DELAY_LOOP = Duration.ofSeconds(60);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_RETRY = 1;
    public static final Duration DEFAULT_DELAY_BEFORE_RETRY = Duration.ofSeconds(1);
    public static final Duration HTTP_DELAY_BEFORE_RETRY = Duration.ofSeconds(3);
    public static final int DEFAULT_RISE = 1;

    /** keepalived's timing: no rise count, one success brings a checker back. */
    public CheckTiming(Duration delayLoop, Duration connectTimeout, int retry, Duration delayBeforeRetry,
                       Duration warmup, boolean alpha) {
        this(delayLoop, connectTimeout, retry, delayBeforeRetry, warmup, alpha, DEFAULT_RISE);
    }
}
