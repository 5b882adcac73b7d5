package io.quorumvip.sim;

/** What a simulated ZooKeeper client tells the code above it, in Curator's terms. */
interface ZkConnectionListener {

    enum State { CONNECTED, SUSPENDED, RECONNECTED, LOST }

    void stateChanged(State state);

    /** A watch on the latch fired: some latch node was deleted. */
    void latchChanged();
}
