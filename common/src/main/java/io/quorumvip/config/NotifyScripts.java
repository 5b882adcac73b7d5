package io.quorumvip.config;

import java.util.Optional;

/** An instance's notify scripts; {@code any} is {@code notify}, run on every transition with state arguments. */
public record NotifyScripts(
        Optional<NotifyScript> master,
        Optional<NotifyScript> backup,
        Optional<NotifyScript> fault,
        Optional<NotifyScript> stop,
        Optional<NotifyScript> any) {

    public static final NotifyScripts NONE = new NotifyScripts(
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
}
