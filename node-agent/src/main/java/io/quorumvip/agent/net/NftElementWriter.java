package io.quorumvip.agent.net;

import io.quorumvip.lb.ElementChange;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes element changes of one nftables table straight to the kernel, one nf_tables netlink batch per call
 * ({@link NftElementBatch}): libnftables 1.0.6 reads every element of the table into its cache before each command,
 * which at 1,000 real servers (16,381 slots) cost 2–3 ms of CPU per pool change of a few dozen slots.
 */
public final class NftElementWriter implements AutoCloseable {
    private final RtNetlinkSocket socket;

    private NftElementWriter(RtNetlinkSocket socket) {
        this.socket = socket;
    }

    /** A NETLINK_NETFILTER socket in the calling thread's network namespace. */
    public static NftElementWriter open() throws IOException {
        return new NftElementWriter(RtNetlinkSocket.open(LibC.NETLINK_NETFILTER));
    }

    /**
     * Applies {@code changes} to the sets of {@code table} as one transaction: all of them, or none when the kernel
     * refuses one.
     *
     * @throws NetlinkErrorException the kernel refused the change; the message names the table, the set and the
     *                               elements of the message it refused
     * @throws IOException           the batch could not be sent (it is larger than {@link NftElementBatch#MAX_BYTES},
     *                               or the socket failed) or its replies did not come
     */
    public void apply(String table, List<ElementChange> changes) throws IOException {
        int acked = NftElementBatch.messages(changes);
        if (acked == 0) {
            return;
        }
        int bytes = NftElementBatch.estimate(table, changes);
        if (bytes > NftElementBatch.MAX_BYTES) {
            throw new IOException("nf_tables element batch for table " + table + ": " + bytes
                    + " bytes (expected at most " + NftElementBatch.MAX_BYTES + ")");
        }
        String what = "nf_tables element batch of " + changes.size() + " set(s) of table " + table;
        AtomicReference<List<String>> described = new AtomicReference<>();
        List<RtNetlinkSocket.BatchReply> replies = socket.exchangeTransaction(what, acked, first -> {
            NftElementBatch.Encoded encoded = NftElementBatch.encode(table, changes, first);
            described.set(encoded.messages());
            return encoded.bytes();
        });
        for (int i = 0; i < replies.size(); i++) {
            if (replies.get(i).errno() != 0) {
                throw replies.get(i).failure(described.get().get(i) + " (the whole batch was refused)");
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
