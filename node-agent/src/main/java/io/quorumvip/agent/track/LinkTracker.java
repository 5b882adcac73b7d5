package io.quorumvip.agent.track;

import io.quorumvip.agent.net.LinkMessage;
import io.quorumvip.agent.net.LinkNotifications;
import io.quorumvip.agent.net.LinkState;
import io.quorumvip.agent.net.LinkStatus;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one interface's link and tells its listener, on the event loop, whenever it goes down or up. It hears of
 * changes from the kernel's link notifications, so it costs nothing while the link is steady, and reads the link again
 * every {@code rereadMillis} in case one was lost without the kernel saying so. A device that cannot be read counts as
 * down: an instance must not keep advertising on a link it cannot see.
 */
public final class LinkTracker {

    private static final Logger log = LoggerFactory.getLogger(LinkTracker.class);

    private final LinkState links;
    private final LinkNotifications notifications;
    private final Vertx vertx;
    private final long rereadMillis;
    private final Consumer<Boolean> onChange;
    private final TrackedLink link;
    private String lastError;
    private Runnable unsubscribe;
    private long timer = -1;

    public LinkTracker(String device, LinkState links, LinkNotifications notifications, Vertx vertx,
                       long rereadMillis, Consumer<Boolean> onChange) {
        this.links = links;
        this.notifications = notifications;
        this.vertx = vertx;
        this.rereadMillis = rereadMillis;
        this.onChange = onChange;
        this.link = new TrackedLink(device, read(device));
    }

    public String device() {
        return link.device();
    }

    public boolean up() {
        return link.up();
    }

    /**
     * On the context that is to hear of changes. Reads the link once more after subscribing: a change between the
     * first read and the subscription has no notification left to come.
     */
    public void start() {
        Context context = vertx.getOrCreateContext();
        unsubscribe = notifications.subscribe(message -> context.runOnContext(v -> onMessage(message)));
        timer = vertx.setPeriodic(rereadMillis, id -> reread());
        reread();
    }

    /** On the same context: no change is told after this. */
    public void stop() {
        if (unsubscribe != null) {
            unsubscribe.run();
            unsubscribe = null;
        }
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    private void onMessage(LinkMessage message) {
        if (unsubscribe == null) {
            return;
        }
        switch (link.on(message)) {
            case CHANGED -> tell();
            case REREAD -> reread();
            case UNCHANGED -> {
            }
        }
    }

    private void reread() {
        if (link.read(read(link.device()))) {
            tell();
        }
    }

    private void tell() {
        boolean up = link.up();
        log.atInfo().setMessage(up ? "link up" : "link down").addKeyValue("interface", link.device()).log();
        onChange.accept(up);
    }

    private Optional<LinkStatus> read(String device) {
        try {
            LinkStatus status = links.status(device);
            lastError = null;
            return Optional.of(status);
        } catch (IOException e) {
            if (!e.getMessage().equals(lastError)) {
                log.atWarn().setMessage("link state unreadable, counting it as down").addKeyValue("interface", device)
                        .addKeyValue("error", e.getMessage()).log();
            }
            lastError = e.getMessage();
            return Optional.empty();
        }
    }
}
