package io.quorumvip.agent.net;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Adds and removes interface addresses in the kernel. Every call is idempotent: adding an address that is present
 * replaces its lifetime, removing one that is absent is not an error.
 */
public interface AddressManager extends AutoCloseable {

    /**
     * Adds the address, or renews it when present. With a lifetime, the kernel removes the address by itself when
     * it runs out unless renewed by another call; without one the address stays until removed.
     *
     * @return true when the address was not present before this call
     */
    boolean addOrRenew(InterfaceAddress address, Optional<Duration> validLifetime) throws IOException;

    /**
     * {@link #addOrRenew} for each request, in order; one failure does not stop the others.
     *
     * @return one outcome per request, in the requests' order
     */
    default List<Outcome> addOrRenewAll(List<Request> requests) {
        List<Outcome> outcomes = new ArrayList<>();
        for (Request request : requests) {
            try {
                outcomes.add(addOrRenew(request.address(), request.validLifetime()) ? Outcome.CREATED
                        : Outcome.RENEWED);
            } catch (IOException e) {
                outcomes.add(new Outcome(false, Optional.of(e)));
            }
        }
        return outcomes;
    }

    /** One address to add or renew, with its lifetime (empty: forever). */
    record Request(InterfaceAddress address, Optional<Duration> validLifetime) {
    }

    /**
     * What adding or renewing one address did: {@code created} when it was not present before, or the error.
     */
    record Outcome(boolean created, Optional<IOException> error) {
        public static final Outcome CREATED = new Outcome(true, Optional.empty());
        public static final Outcome RENEWED = new Outcome(false, Optional.empty());
    }

    /** @return true when the address was present and is now removed */
    boolean remove(InterfaceAddress address) throws IOException;

    /** The addresses the kernel has on the device now. */
    List<InterfaceAddress> list(String device) throws IOException;

    @Override
    void close();
}
