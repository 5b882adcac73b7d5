package io.quorumvip.vrrp;

import java.nio.ByteBuffer;

/**
 * One instance's advert to one destination, kept encoded: of what goes into it (version, VRID, addresses,
 * advert_int, authentication, and for version 3 the source and destination under the checksum) only the priority
 * changes while an instance runs (a reload builds a new instance), so the bytes are encoded again only when the
 * priority differs from the last one's. A master sends the same bytes every advert_int.
 *
 * <p>Not thread-safe: one sender owns it.
 */
public final class EncodedAdvert {

    private final VrrpPacket template;
    private final ByteBuffer bytes;
    private final ByteBuffer message;
    private int encodedPriority = -1;

    /** {@code template} as it is sent, to its destination; its priority is replaced at each {@link #message}. */
    public EncodedAdvert(VrrpPacket template) {
        this.template = template;
        this.bytes = ByteBuffer.allocate(VrrpCodec.encodedLength(template));
        this.message = bytes.asReadOnlyBuffer();
    }

    /**
     * The VRRP message with {@code priority}, from position 0 to its length; valid until the next call, which
     * rewinds it.
     */
    public ByteBuffer message(int priority) {
        if (priority != encodedPriority) {
            bytes.clear();
            VrrpCodec.encode(template.withPriority(priority), bytes);
            encodedPriority = priority;
        }
        return message.rewind();
    }
}
