package io.quorumvip.agent;

import java.io.IOException;

/** Encodes and sends one instance's advertisement with the given priority to its multicast group or unicast peers. */
interface AdvertPublisher {

    void publish(int priority) throws IOException;
}
