package io.quorumvip.agent.net;

import java.io.IOException;

/** What the kernel says about an interface now (RTM_GETLINK); {@link LinkStatus#isUp} says whether it can carry traffic. */
public interface LinkState extends AutoCloseable {

    /** @throws IOException naming the device when there is no such interface or it cannot be read */
    LinkStatus status(String device) throws IOException;

    @Override
    void close();
}
