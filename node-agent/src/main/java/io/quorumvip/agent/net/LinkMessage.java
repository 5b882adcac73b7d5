package io.quorumvip.agent.net;

/** One of the kernel's link notifications (the RTMGRP_LINK group), decoded; see {@link LinkNotifications}. */
public sealed interface LinkMessage {

    /** RTM_NEWLINK: the interface exists with this status (it was created, renamed, or its flags or operstate moved). */
    record Changed(LinkStatus status) implements LinkMessage {
    }

    /** RTM_DELLINK: the interface is gone (deleted, or moved to another network namespace). */
    record Removed(LinkStatus status) implements LinkMessage {
    }

    /** The socket's buffer overflowed (ENOBUFS) or a datagram could not be read: notifications were lost. */
    record Lost(String why) implements LinkMessage {
    }
}
