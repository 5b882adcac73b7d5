package io.quorumvip.agent.track;

import io.quorumvip.agent.net.LinkMessage;
import io.quorumvip.agent.net.LinkStatus;
import java.util.Optional;

/**
 * Whether one tracked interface can carry traffic, from reads of it (RTM_GETLINK) and the kernel's link notifications,
 * and what each notification means for it. A missing or unreadable interface counts as down. The interface is known
 * by name, but also by its index while it exists: a rename only carries the new name, and it takes the tracked one
 * away just as a deletion does. Pure; {@link LinkTracker} feeds it on the event loop.
 */
final class TrackedLink {

    /** What a notification means for the tracked interface. */
    enum Verdict {
        /** Not about it, or its state did not move. */
        UNCHANGED,
        /** It went down or came up. */
        CHANGED,
        /** Notifications were lost: only a read says where it stands. */
        REREAD
    }

    private final String device;
    /** The interface's index while it is known to exist; 0 (no interface has it) while it is missing or unread. */
    private int index;
    private boolean up;

    /** @param read the first read: the interface's status, empty when it is missing or unreadable */
    TrackedLink(String device, Optional<LinkStatus> read) {
        this.device = device;
        read(read);
    }

    String device() {
        return device;
    }

    boolean up() {
        return up;
    }

    /**
     * A read of the interface: its status, or empty when it is missing or unreadable.
     *
     * @return whether it went down or came up
     */
    boolean read(Optional<LinkStatus> status) {
        return status.map(s -> becomes(s.index(), s.isUp())).orElseGet(() -> becomes(0, false));
    }

    Verdict on(LinkMessage message) {
        if (message instanceof LinkMessage.Changed changed) {
            LinkStatus status = changed.status();
            if (status.device().equals(device)) {
                return verdict(becomes(status.index(), status.isUp()));
            }
            return verdict(isTracked(status.index()) && becomes(0, false));
        }
        if (message instanceof LinkMessage.Removed removed) {
            LinkStatus status = removed.status();
            boolean ours = status.device().equals(device) || isTracked(status.index());
            return verdict(ours && becomes(0, false));
        }
        return Verdict.REREAD;
    }

    private boolean isTracked(int otherIndex) {
        return index != 0 && otherIndex == index;
    }

    private boolean becomes(int newIndex, boolean newUp) {
        index = newIndex;
        boolean changed = up != newUp;
        up = newUp;
        return changed;
    }

    private static Verdict verdict(boolean changed) {
        return changed ? Verdict.CHANGED : Verdict.UNCHANGED;
    }
}
