package io.quorumvip.agent.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A NETLINK_ROUTE socket (or, through {@link #open(int)}, one of another netlink protocol) that sends one request at a time and reads the replies that carry its sequence number,
 * skipping any others (late replies to a request that failed half-way). Thread-safe: requests are serialised.
 */
final class RtNetlinkSocket implements AutoCloseable {
    private static final int RECEIVE_SIZE = 65536;
    /** Room for a batch of {@link #BATCH_REQUESTS} address requests (about 100 bytes each). */
    private static final int SEND_SIZE = 16384;
    /**
     * Requests per sendmsg at most. Every request may get an error reply queued on the socket before it is read;
     * 128 of them (a few hundred bytes of socket memory each) stay well inside the default receive buffer, so no
     * reply is dropped with ENOBUFS.
     */
    static final int BATCH_REQUESTS = 128;
    /** The kernel answers at once; this only bounds a wait that should never happen. */
    private static final int REPLY_TIMEOUT_MILLIS = 5000;

    private static final LibC LIBC = LibC.INSTANCE;

    private final int fd;
    private final ByteBuffer receiveBuffer = Structs.allocate(RECEIVE_SIZE);
    private final ByteBuffer sendBuffer = Structs.allocate(SEND_SIZE);
    private final ByteBuffer pollFd = Structs.allocate(8);
    private final ByteBuffer kernelAddress = Structs.sockaddrNl();
    private int sequence;
    private boolean closed;

    private RtNetlinkSocket(int fd) {
        this.fd = fd;
    }

    static RtNetlinkSocket open() throws IOException {
        return open(LibC.NETLINK_ROUTE);
    }

    static RtNetlinkSocket open(int protocol) throws IOException {
        int fd = LIBC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            throw new IOException("socket(AF_NETLINK, protocol " + protocol + ") failed: " + LibC.lastErrorText());
        }
        if (LIBC.bind(fd, Structs.sockaddrNl(), Structs.SOCKADDR_NL_SIZE) < 0) {
            String error = LibC.lastErrorText();
            LIBC.close(fd);
            throw new IOException("bind(AF_NETLINK) failed: " + error);
        }
        // Both options only improve error replies (the kernel's own message, no echoed request); kernels older
        // than 4.12 lack them and still work, so a refusal is not an error.
        LIBC.setsockopt(fd, LibC.SOL_NETLINK, LibC.NETLINK_EXT_ACK, Structs.int32(1), 4);
        LIBC.setsockopt(fd, LibC.SOL_NETLINK, LibC.NETLINK_CAP_ACK, Structs.int32(1), 4);
        return new RtNetlinkSocket(fd);
    }

    /**
     * Sends the request built for the next sequence number and returns the data messages of its reply, which ends
     * with an acknowledgement (NLMSG_ERROR 0) or, for a dump, NLMSG_DONE.
     *
     * @param what names the request in errors, e.g. "RTM_NEWADDR 192.0.2.200/24 dev eth0"
     * @throws NetlinkErrorException when the kernel answers with an error
     */
    synchronized List<NetlinkMessage> exchange(String what, IntFunction<byte[]> request) throws IOException {
        if (closed) {
            throw new IOException(what + ": the netlink socket is closed");
        }
        int expected = ++sequence;
        send(what, request.apply(expected));
        List<NetlinkMessage> data = new ArrayList<>();
        while (true) {
            for (NetlinkMessage message : receive(what)) {
                if (message.sequence() != expected) {
                    continue;
                }
                if (message.type() == Netlink.NLMSG_ERROR) {
                    int errno = message.errorCode();
                    if (errno == 0) {
                        return data;
                    }
                    throw failure(what, errno, message.extendedErrorText());
                }
                if (message.type() == Netlink.NLMSG_DONE) {
                    int errno = message.payload().capacity() >= 4 ? -message.payload().getInt(0) : 0;
                    if (errno > 0) {
                        throw failure(what, errno, "");
                    }
                    return data;
                }
                data.add(message);
            }
        }
    }

    /**
     * Sends the requests in one sendmsg and returns each one's reply: errno 0 when the kernel did not object. Each
     * request is built for its own sequence number with {@code ackLast}: true for the last one only, whose reply
     * (an acknowledgement, or its error) ends the batch; the others are built without NLM_F_ACK, so the kernel
     * answers them only when they fail. The kernel handles a sendmsg's requests in order, each whatever the
     * previous one's outcome, and queues their replies before the sendmsg returns: one round trip and one reply
     * per failed request instead of a round trip per request. Requests that return data (dumps) do not belong
     * here.
     *
     * @param what names the batch in errors, e.g. "RTM_NEWADDR batch"
     * @throws IOException when the batch could not be sent or its last reply did not come
     */
    synchronized List<BatchReply> exchangeBatch(String what, List<BatchRequest> requests) throws IOException {
        if (closed) {
            throw new IOException(what + ": the netlink socket is closed");
        }
        if (requests.isEmpty() || requests.size() > BATCH_REQUESTS) {
            throw new IllegalArgumentException(what + ": batch of " + requests.size() + " requests (expected 1.."
                    + BATCH_REQUESTS + ")");
        }
        int first = sequence + 1;
        int length = 0;
        sendBuffer.clear();
        for (int i = 0; i < requests.size(); i++) {
            byte[] message = requests.get(i).build(++sequence, i == requests.size() - 1);
            if (length + message.length > SEND_SIZE) {
                throw new IOException(what + ": batch of " + (length + message.length) + " bytes (expected at most "
                        + SEND_SIZE + ")");
            }
            sendBuffer.put(length, message);
            length += message.length;
        }
        int last = sequence;
        long sent = LIBC.sendto(fd, sendBuffer, length, 0, kernelAddress, Structs.SOCKADDR_NL_SIZE);
        if (sent != length) {
            throw new IOException(what + ": sendto(netlink) failed: " + LibC.lastErrorText());
        }
        BatchReply[] replies = new BatchReply[requests.size()];
        Arrays.fill(replies, BatchReply.OK);
        while (true) {
            for (NetlinkMessage message : receive(what)) {
                int index = message.sequence() - first;
                if (index < 0 || index >= replies.length || message.type() != Netlink.NLMSG_ERROR) {
                    continue;
                }
                int errno = message.errorCode();
                if (errno != 0) {
                    replies[index] = new BatchReply(errno, message.extendedErrorText());
                }
                if (message.sequence() == last) {
                    return List.of(replies);
                }
            }
        }
    }

    /**
     * Sends one nfnetlink batch, which the kernel applies whole or not at all, and returns the replies of its
     * {@code acked} messages (those between the begin and end messages, each built with NLM_F_ACK) once every one
     * has come: the kernel answers each after it has handled the whole batch, errno 0 for each when it committed.
     * {@code batch} builds the bytes for the begin message's sequence number; the acked messages take the ones after
     * it.
     *
     * @param what names the batch in errors, e.g. "nf_tables element batch"
     * @throws NetlinkErrorException the kernel refused the batch itself (its begin or end message)
     * @throws IOException the batch could not be sent or a reply did not come
     */
    synchronized List<BatchReply> exchangeTransaction(String what, int acked, IntFunction<byte[]> batch)
            throws IOException {
        if (closed) {
            throw new IOException(what + ": the netlink socket is closed");
        }
        int first = sequence + 1;
        byte[] bytes = batch.apply(first);
        sequence = first + acked + 1;
        ByteBuffer out = bytes.length <= SEND_SIZE ? sendBuffer : Structs.allocate(bytes.length);
        out.clear();
        out.put(0, bytes);
        long sent = LIBC.sendto(fd, out, bytes.length, 0, kernelAddress, Structs.SOCKADDR_NL_SIZE);
        if (sent != bytes.length) {
            throw new IOException(what + ": sendto(netlink) of " + bytes.length + " bytes failed: "
                    + LibC.lastErrorText());
        }
        BatchReply[] replies = new BatchReply[acked];
        int answered = 0;
        while (answered < acked) {
            for (NetlinkMessage message : receive(what)) {
                int index = message.sequence() - first - 1;
                if (message.type() != Netlink.NLMSG_ERROR || index < -1 || index > acked) {
                    continue;
                }
                int errno = message.errorCode();
                if (index == -1 || index == acked) {
                    if (errno != 0) {
                        throw failure(what + (index == -1 ? " (its begin message)" : " (its end message)"), errno,
                                message.extendedErrorText());
                    }
                    continue;
                }
                if (replies[index] == null) {
                    answered++;
                }
                replies[index] = errno == 0 ? BatchReply.OK : new BatchReply(errno, message.extendedErrorText());
            }
        }
        return List.of(replies);
    }

    /** The kernel's answer to one request of a batch: errno 0, or the error with the kernel's own text if any. */
    record BatchReply(int errno, String kernelText) {
        static final BatchReply OK = new BatchReply(0, "");

        NetlinkErrorException failure(String what) {
            return RtNetlinkSocket.failure(what, errno, kernelText);
        }
    }

    /** One request of a batch, built for its sequence number; {@code ack}: ask for an acknowledgement. */
    @FunctionalInterface
    interface BatchRequest {
        byte[] build(int sequence, boolean ack);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            LIBC.close(fd);
        }
    }

    private void send(String what, byte[] message) throws IOException {
        if (message.length > SEND_SIZE) {
            throw new IOException(what + ": request of " + message.length + " bytes (expected at most " + SEND_SIZE + ")");
        }
        sendBuffer.clear();
        sendBuffer.put(0, message);
        long sent = LIBC.sendto(fd, sendBuffer, message.length, 0, kernelAddress, Structs.SOCKADDR_NL_SIZE);
        if (sent != message.length) {
            throw new IOException(what + ": sendto(netlink) failed: " + LibC.lastErrorText());
        }
    }

    /**
     * The next datagram of replies. The kernel queues rtnetlink replies before sendmsg returns, so a read without
     * waiting nearly always finds one; poll only when it does not.
     */
    private List<NetlinkMessage> receive(String what) throws IOException {
        receiveBuffer.clear();
        long length = LIBC.recv(fd, receiveBuffer, RECEIVE_SIZE, LibC.MSG_TRUNC | LibC.MSG_DONTWAIT);
        while (length < 0 && (LibC.errno() == LibC.EAGAIN || LibC.errno() == LibC.EINTR)) {
            awaitReadable(what);
            receiveBuffer.clear();
            length = LIBC.recv(fd, receiveBuffer, RECEIVE_SIZE, LibC.MSG_TRUNC | LibC.MSG_DONTWAIT);
        }
        if (length < 0) {
            throw new IOException(what + ": recv(netlink) failed: " + LibC.lastErrorText());
        }
        if (length > RECEIVE_SIZE) {
            throw new IOException(what + ": netlink reply of " + length + " bytes (expected at most " + RECEIVE_SIZE + ")");
        }
        return NetlinkMessage.parseAll(receiveBuffer, (int) length);
    }

    private void awaitReadable(String what) throws IOException {
        pollFd.putInt(0, fd).putShort(4, LibC.POLLIN).putShort(6, (short) 0);
        int ready;
        do {
            ready = LIBC.poll(pollFd, 1, REPLY_TIMEOUT_MILLIS);
        } while (ready < 0 && LibC.errno() == LibC.EINTR);
        if (ready < 0) {
            throw new IOException(what + ": poll(netlink) failed: " + LibC.lastErrorText());
        }
        if (ready == 0) {
            throw new IOException(what + ": no reply from the kernel within " + REPLY_TIMEOUT_MILLIS + " ms");
        }
    }

    private static NetlinkErrorException failure(String what, int errno, String kernelText) {
        String text = LIBC.strerror(errno) + " (errno " + errno + ")";
        return new NetlinkErrorException(what + " failed: " + text + (kernelText.isEmpty() ? "" : " — kernel says: " + kernelText), errno);
    }
}
