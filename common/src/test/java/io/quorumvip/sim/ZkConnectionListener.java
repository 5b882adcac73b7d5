package io.quorumvip.sim;

/** What a simulated ZooKeeper client tells the code above it, in Curator's terms. */
interface ZkConnectionListener {

    enum State { CONNECTED, SUSPENDED, RECONNECTED, LOST }

    void stateChanged(State state);

    /** A watch on latch {@code latch} fired: one of its nodes was deleted. */
    void latchChanged(int latch);
}
