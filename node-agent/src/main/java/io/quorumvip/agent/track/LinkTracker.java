package io.quorumvip.agent.track;

import io.quorumvip.agent.net.LinkState;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one interface's link and tells its listener, on the event loop, whenever it goes down or up. A device that
 * cannot be read counts as down: an instance must not keep advertising on a link it cannot see.
 */
public final class LinkTracker {

    private static final Logger log = LoggerFactory.getLogger(LinkTracker.class);

    private final String device;
    private final LinkState links;
    private final Vertx vertx;
    private final long pollMillis;
    private final Consumer<Boolean> onChange;
    private boolean up;
    private String lastError;
    private long timer = -1;

    public LinkTracker(String device, LinkState links, Vertx vertx, long pollMillis, Consumer<Boolean> onChange) {
        this.device = device;
        this.links = links;
        this.vertx = vertx;
        this.pollMillis = pollMillis;
        this.onChange = onChange;
        this.up = read();
    }

    public String device() {
        return device;
    }

    public boolean up() {
        return up;
    }

    public void start() {
        timer = vertx.setPeriodic(pollMillis, id -> {
            boolean now = read();
            if (now != up) {
                up = now;
                log.atInfo().setMessage(now ? "link up" : "link down").addKeyValue("interface", device).log();
                onChange.accept(now);
            }
        });
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    private boolean read() {
        try {
            boolean result = links.isUp(device);
            lastError = null;
            return result;
        } catch (IOException e) {
            if (!e.getMessage().equals(lastError)) {
                log.atWarn().setMessage("link state unreadable, counting it as down").addKeyValue("interface", device)
                        .addKeyValue("error", e.getMessage()).log();
            }
            lastError = e.getMessage();
            return false;
        }
    }
}
