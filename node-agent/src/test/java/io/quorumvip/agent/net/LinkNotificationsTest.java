package io.quorumvip.agent.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.agent.track.LinkTracker;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A link tracker in a namespace hears {@code ip link set eth0 down} and up, and its peer's carrier loss, through the
 * kernel's notifications: its re-read is set far beyond the wait, so only a notification can tell it (root only).
 */
class LinkNotificationsTest {
    /** Far beyond every wait below: a change the tracker tells in time came from a notification. */
    private static final long REREAD_MILLIS = 600_000;
    /** Carrier loss reaches operstate through the kernel's link watch, which may lag by up to about a second. */
    private static final long WAIT_SECONDS = 10;

    private static VethLab lab;
    private static NetlinkLinkState links;
    private static LinkNotifications notifications;
    private static Vertx vertx;
    private static Context context;
    private static LinkTracker tracker;
    private static final BlockingQueue<Told> told = new LinkedBlockingQueue<>();

    private record Told(boolean up, long nanos) {
    }

    @BeforeAll
    static void startTracker() throws Exception {
        VethLab.assumeRootAndIp();
        lab = VethLab.create();
        links = lab.inA(NetlinkLinkState::open);
        notifications = lab.inA(LinkNotifications::open);
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
        tracker = new LinkTracker("eth0", links, notifications, vertx, REREAD_MILLIS,
                up -> told.add(new Told(up, System.nanoTime())));
        onContext(tracker::start);
        awaitUp();
    }

    @AfterAll
    static void stopTracker() throws Exception {
        if (tracker != null) {
            onContext(tracker::stop);
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (notifications != null) {
            notifications.close();
        }
        if (links != null) {
            links.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void shouldHearTheLinkSetDownAndUp() throws Exception {
        long start = System.nanoTime();
        VethLab.ip("-n", lab.nsA, "link", "set", "eth0", "down");
        Told down = told.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        long upStart = System.nanoTime();
        VethLab.ip("-n", lab.nsA, "link", "set", "eth0", "up");
        Told up = awaitUp();

        assertThat(down).isNotNull();
        assertThat(down.up()).isFalse();
        assertThat(up.up()).isTrue();
        System.out.printf("link tracker: down told %.1f ms, up %.1f ms after ip started%n",
                (down.nanos() - start) / 1e6, (up.nanos() - upStart) / 1e6);
    }

    @Test
    void shouldHearThePeersCarrierLoss() throws Exception {
        long start = System.nanoTime();
        VethLab.ip("-n", lab.nsB, "link", "set", "eth0", "down");
        Told down;
        try {
            down = told.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        } finally {
            VethLab.ip("-n", lab.nsB, "link", "set", "eth0", "up");
        }
        Told up = awaitUp();

        assertThat(down).isNotNull();
        assertThat(down.up()).isFalse();
        assertThat(up.up()).isTrue();
        System.out.printf("link tracker: carrier loss told %.1f ms after ip started%n", (down.nanos() - start) / 1e6);
    }

    /** Until the tracker says the link is up (a veth comes up through the link watch, so not at once). */
    private static Told awaitUp() throws Exception {
        if (onContext(tracker::up)) {
            return new Told(true, System.nanoTime());
        }
        Told next = told.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(next).as("the tracker told eth0 up within %d s", WAIT_SECONDS).isNotNull();
        return next;
    }

    private static void onContext(Runnable work) throws Exception {
        onContext(() -> {
            work.run();
            return true;
        });
    }

    private static <T> T onContext(Callable<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                result.complete(work.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(10, TimeUnit.SECONDS);
    }
}
