package io.quorumvip.agent.net;

import java.io.IOException;

/** Whether an interface can carry traffic: administratively up and with carrier (operstate UP or UNKNOWN). */
public interface LinkState extends AutoCloseable {

    boolean isUp(String device) throws IOException;

    @Override
    void close();
}
