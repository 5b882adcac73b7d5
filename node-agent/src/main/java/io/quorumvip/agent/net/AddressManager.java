package io.quorumvip.agent.net;

import java.io.IOException;
import java.time.Duration;
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
     * Renews the lifetime of an address this process added and still owns, in one call: a renewal comes well
     * before the lifetime ends, so the address is there. Should it have been removed behind the agent's back, the
     * call adds it again (the kernel's replace creates a missing address) without saying so.
     */
    void renew(InterfaceAddress address, Duration validLifetime) throws IOException;

    /** @return true when the address was present and is now removed */
    boolean remove(InterfaceAddress address) throws IOException;

    /** The addresses the kernel has on the device now. */
    List<InterfaceAddress> list(String device) throws IOException;

    @Override
    void close();
}
