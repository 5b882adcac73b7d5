package io.quorumvip.agent.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's link notifications in this network namespace: a NETLINK_ROUTE socket in the RTMGRP_LINK group, read by
 * one thread of its own that sleeps in poll(2) until the kernel has something to say, so an idle agent pays nothing
 * for watching its links. Every subscriber gets every message on that thread, in the kernel's order, and hands it on
 * to where it is used.
 */
public final class LinkNotifications implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LinkNotifications.class);
    private static final LibC LIBC = LibC.INSTANCE;
    private static final int RECEIVE_SIZE = 65536;
    /** After a failed wait: the subscribers re-read in the meantime, this only keeps a broken socket from spinning. */
    private static final long RETRY_MILLIS = 1_000;

    private final PolledSocket socket;
    private final ByteBuffer buffer = Structs.allocate(RECEIVE_SIZE);
    private final List<Consumer<LinkMessage>> subscribers = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean running = true;

    private LinkNotifications(PolledSocket socket) {
        this.socket = socket;
        this.reader = new Thread(this::readLoop, "link-notifications");
        this.reader.setDaemon(true);
    }

    /** Joins the group in the calling thread's network namespace and starts reading. */
    public static LinkNotifications open() throws IOException {
        int fd = LIBC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, LibC.NETLINK_ROUTE);
        if (fd < 0) {
            throw new IOException("socket(AF_NETLINK, NETLINK_ROUTE) for link notifications failed: "
                    + LibC.lastErrorText());
        }
        if (LIBC.bind(fd, Structs.sockaddrNl(Netlink.RTMGRP_LINK), Structs.SOCKADDR_NL_SIZE) < 0) {
            String error = LibC.lastErrorText();
            LIBC.close(fd);
            throw new IOException("bind(AF_NETLINK, group RTMGRP_LINK) failed: " + error);
        }
        LinkNotifications notifications = new LinkNotifications(PolledSocket.wrap(fd, "the link notification socket"));
        notifications.reader.start();
        return notifications;
    }

    /**
     * Calls {@code subscriber} on the reader thread with every notification from now on, until the returned handle
     * runs. A subscriber must not block: the next notifications wait for it.
     */
    public Runnable subscribe(Consumer<LinkMessage> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    @Override
    public void close() {
        running = false;
        socket.close();
        try {
            reader.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readLoop() {
        while (running) {
            try {
                List<LinkMessage> messages = socket.use(fd -> socket.awaitReadable(-1) ? drain(fd) : List.of());
                messages.forEach(this::publish);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!running) {
                    return;
                }
                log.atError().setMessage("link notifications unreadable; the trackers re-read their links")
                        .addKeyValue("error", e.getMessage()).log();
                publish(new LinkMessage.Lost(e.getMessage()));
                sleepBeforeRetry();
            }
        }
    }

    /** Every datagram queued now; a lost one (ENOBUFS, truncated, undecodable) becomes {@link LinkMessage.Lost}. */
    private List<LinkMessage> drain(int fd) throws IOException {
        List<LinkMessage> messages = new ArrayList<>();
        while (true) {
            buffer.clear();
            long length = LIBC.recv(fd, buffer, RECEIVE_SIZE, LibC.MSG_TRUNC | LibC.MSG_DONTWAIT);
            if (length < 0) {
                int errno = LibC.errno();
                if (errno == LibC.EAGAIN) {
                    return messages;
                }
                if (errno == LibC.ENOBUFS) {
                    messages.add(lost("the socket's receive buffer overflowed (ENOBUFS)"));
                    continue;
                }
                if (errno != LibC.EINTR) {
                    throw new IOException("recv(link notifications) failed: " + LibC.lastErrorText());
                }
                continue;
            }
            if (length > RECEIVE_SIZE) {
                messages.add(lost("a datagram of " + length + " bytes was cut to " + RECEIVE_SIZE));
                continue;
            }
            try {
                for (NetlinkMessage message : NetlinkMessage.parseAll(buffer, (int) length)) {
                    RtNetlinkMessages.decodeLinkNotification(message).ifPresent(messages::add);
                }
            } catch (NetlinkFormatException e) {
                messages.add(lost(e.getMessage()));
            }
        }
    }

    private static LinkMessage lost(String why) {
        log.atWarn().setMessage("link notifications lost; the trackers read their links again").addKeyValue("why", why)
                .log();
        return new LinkMessage.Lost(why);
    }

    private void publish(LinkMessage message) {
        for (Consumer<LinkMessage> subscriber : subscribers) {
            try {
                subscriber.accept(message);
            } catch (RuntimeException e) {
                log.atError().setMessage("link notification subscriber failed").addKeyValue("message", message)
                        .setCause(e).log();
            }
        }
    }

    private static void sleepBeforeRetry() {
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
