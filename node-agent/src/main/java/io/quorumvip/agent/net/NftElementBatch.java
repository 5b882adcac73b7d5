package io.quorumvip.agent.net;

import io.quorumvip.lb.ElementChange;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Element changes as one nf_tables transaction in netlink bytes, what libnftnl would send for them:
 * NFNL_MSG_BATCH_BEGIN, then for each change NFT_MSG_DELSETELEM and NFT_MSG_NEWSETELEM messages (each asking for an
 * acknowledgement, at most {@link #ELEMENTS_PER_MESSAGE} elements each), then NFNL_MSG_BATCH_END. The kernel applies
 * the batch whole or not at all, like a libnftables document. Pure: bytes in memory, no socket.
 */
public final class NftElementBatch {
    static final int NFNL_MSG_BATCH_BEGIN = 0x10;
    static final int NFNL_MSG_BATCH_END = 0x11;
    static final int NFNL_SUBSYS_NFTABLES = 10;
    static final int NFT_MSG_NEWSETELEM = 12;
    static final int NFT_MSG_DELSETELEM = 14;
    static final int NFTA_SET_ELEM_LIST_TABLE = 1;
    static final int NFTA_SET_ELEM_LIST_SET = 2;
    static final int NFTA_SET_ELEM_LIST_ELEMENTS = 3;
    static final int NFTA_LIST_ELEM = 1;
    static final int NFTA_SET_ELEM_KEY = 1;
    static final int NFTA_SET_ELEM_DATA = 2;
    static final int NFTA_DATA_VALUE = 1;
    static final int NLA_F_NESTED = 0x8000;
    /**
     * A nested attribute's length is 16 bits: 2,000 map elements of 28 bytes each keep the element list under
     * 64 KiB.
     */
    static final int ELEMENTS_PER_MESSAGE = 2000;
    /**
     * The most a batch may take: the kernel refuses a netlink write larger than the socket's send buffer (212,992
     * bytes by default). About 4,500 map elements; larger changes (a whole slot map filled or emptied) go through
     * libnftables.
     */
    public static final int MAX_BYTES = 128 * 1024;
    private static final Map<String, Integer> FAMILIES = Map.of("ip", 2, "ip6", 10, "netdev", 5, "inet", 1);
    /** struct nfgenmsg: family, version, resource id. */
    private static final int NFGENMSG_SIZE = 4;
    private static final int MAP_ELEMENT_SIZE = 28;
    private static final int SET_ELEMENT_SIZE = 16;

    /**
     * A batch ready to send.
     *
     * @param messages what each acknowledged message does, for errors; message {@code i} has the sequence number
     *                 {@code first + 1 + i} (the begin message has {@code first}, the end message the one after the
     *                 last)
     */
    public record Encoded(byte[] bytes, List<String> messages) {
    }

    private NftElementBatch() {
    }

    /**
     * The batch for {@code changes} to sets of {@code table}, its begin message numbered {@code first}.
     *
     * @throws IllegalArgumentException a change names a family nf_tables does not have
     */
    public static Encoded encode(String table, List<ElementChange> changes, int first) {
        int messages = messages(changes);
        ByteBuffer out = ByteBuffer.allocate(estimate(table, changes)).order(ByteOrder.nativeOrder());
        List<String> described = new ArrayList<>(messages);
        int sequence = first;
        header(out, NFNL_MSG_BATCH_BEGIN, Netlink.NLM_F_REQUEST, sequence++, 0, NFNL_SUBSYS_NFTABLES);
        for (ElementChange change : changes) {
            Integer family = FAMILIES.get(change.family());
            if (family == null) {
                throw new IllegalArgumentException("nftables family " + change.family() + " of set " + change.set()
                        + " is not one of " + FAMILIES.keySet());
            }
            List<Integer> deleted = change.deleted();
            for (int from = 0; from < deleted.size(); from += ELEMENTS_PER_MESSAGE) {
                int to = Math.min(deleted.size(), from + ELEMENTS_PER_MESSAGE);
                elements(out, NFT_MSG_DELSETELEM, sequence++, family, table, change.set(), deleted.subList(from, to),
                        List.of());
                described.add(describe("NFT_MSG_DELSETELEM", table, change, deleted.subList(from, to)));
            }
            List<Integer> keys = change.addedKeys();
            for (int from = 0; from < keys.size(); from += ELEMENTS_PER_MESSAGE) {
                int to = Math.min(keys.size(), from + ELEMENTS_PER_MESSAGE);
                elements(out, NFT_MSG_NEWSETELEM, sequence++, family, table, change.set(), keys.subList(from, to),
                        change.map() ? change.addedValues().subList(from, to) : List.of());
                described.add(describe("NFT_MSG_NEWSETELEM", table, change, keys.subList(from, to)));
            }
        }
        header(out, NFNL_MSG_BATCH_END, Netlink.NLM_F_REQUEST, sequence, 0, NFNL_SUBSYS_NFTABLES);
        byte[] bytes = new byte[out.position()];
        out.get(0, bytes);
        return new Encoded(bytes, List.copyOf(described));
    }

    /** The bytes {@link #encode} writes, without writing them: whether a change fits one batch. */
    public static int estimate(String table, List<ElementChange> changes) {
        int bytes = 2 * (Netlink.HEADER_SIZE + NFGENMSG_SIZE);
        for (ElementChange change : changes) {
            int perMessage = Netlink.HEADER_SIZE + NFGENMSG_SIZE + 3 * Netlink.ATTRIBUTE_HEADER_SIZE
                    + Netlink.align(table.length() + 1) + Netlink.align(change.set().length() + 1);
            bytes += (chunks(change.deleted().size()) + chunks(change.addedKeys().size())) * perMessage
                    + change.deleted().size() * SET_ELEMENT_SIZE
                    + change.addedKeys().size() * (change.map() ? MAP_ELEMENT_SIZE : SET_ELEMENT_SIZE);
        }
        return bytes;
    }

    /** How many messages of {@link #encode}'s batch ask for an acknowledgement: all but its begin and end. */
    public static int messages(List<ElementChange> changes) {
        int messages = 0;
        for (ElementChange change : changes) {
            messages += chunks(change.deleted().size()) + chunks(change.addedKeys().size());
        }
        return messages;
    }

    private static int chunks(int elements) {
        return (elements + ELEMENTS_PER_MESSAGE - 1) / ELEMENTS_PER_MESSAGE;
    }

    private static void elements(ByteBuffer out, int message, int sequence, int family, String table, String set,
                                 List<Integer> keys, List<Integer> values) {
        int flags = Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK
                | (message == NFT_MSG_NEWSETELEM ? Netlink.NLM_F_CREATE : 0);
        int start = out.position();
        header(out, NFNL_SUBSYS_NFTABLES << 8 | message, flags, sequence, family, 0);
        string(out, NFTA_SET_ELEM_LIST_TABLE, table);
        string(out, NFTA_SET_ELEM_LIST_SET, set);
        int list = begin(out, NFTA_SET_ELEM_LIST_ELEMENTS);
        for (int i = 0; i < keys.size(); i++) {
            int element = begin(out, NFTA_LIST_ELEM);
            value(out, NFTA_SET_ELEM_KEY, keys.get(i));
            if (!values.isEmpty()) {
                value(out, NFTA_SET_ELEM_DATA, values.get(i));
            }
            end(out, element);
        }
        end(out, list);
        out.putInt(start, out.position() - start);
    }

    /** struct nlmsghdr (its length filled in later for element messages) and struct nfgenmsg. */
    private static void header(ByteBuffer out, int type, int flags, int sequence, int family, int resourceId) {
        out.putInt(Netlink.HEADER_SIZE + NFGENMSG_SIZE);
        out.putShort((short) type);
        out.putShort((short) flags);
        out.putInt(sequence);
        out.putInt(0);
        out.put((byte) family);
        out.put((byte) 0);
        // The resource id is big-endian, the one field of nfgenmsg that is.
        out.put((byte) (resourceId >>> 8));
        out.put((byte) resourceId);
    }

    /**
     * A mark in NFTA_DATA_VALUE, in the host's byte order. Every key and value here is a {@code meta mark} or
     * {@code ct mark} (sets and maps of type {@code mark}): the kernel loads {@code skb->mark} into its register as
     * a host integer, and a set lookup compares the register's bytes with the element's, so the element must hold
     * the same bytes. nft's own {@code mark} type is host-endian for that reason: {@code nft --debug=mnl} on
     * x86_64 sends element {@code 3 : 7} of a {@code type mark : mark} map as {@code 03 00 00 00} and {@code 07 00
     * 00 00}, and {@code 0.0.0.3} of a {@code type ipv4_addr} set as {@code 00 00 00 03}. A set keyed by an
     * address or a port would need network order; none goes through this batch.
     */
    private static void value(ByteBuffer out, int type, int mark) {
        int nest = begin(out, type);
        out.putShort((short) (Netlink.ATTRIBUTE_HEADER_SIZE + 4));
        out.putShort((short) NFTA_DATA_VALUE);
        out.putInt(mark);
        end(out, nest);
    }

    private static void string(ByteBuffer out, int type, String value) {
        byte[] text = value.getBytes(StandardCharsets.US_ASCII);
        out.putShort((short) (Netlink.ATTRIBUTE_HEADER_SIZE + text.length + 1));
        out.putShort((short) type);
        out.put(text);
        out.put((byte) 0);
        while (out.position() % 4 != 0) {
            out.put((byte) 0);
        }
    }

    private static int begin(ByteBuffer out, int type) {
        int start = out.position();
        out.putShort((short) 0);
        out.putShort((short) (type | NLA_F_NESTED));
        return start;
    }

    private static void end(ByteBuffer out, int start) {
        out.putShort(start, (short) (out.position() - start));
    }

    private static String describe(String message, String table, ElementChange change, List<Integer> keys) {
        List<String> shown = keys.subList(0, Math.min(8, keys.size())).stream()
                .map(key -> Long.toString(Integer.toUnsignedLong(key))).toList();
        return message + " " + change.family() + " " + table + " " + change.set() + " element"
                + (keys.size() == 1 ? " " : "s ") + String.join(", ", shown)
                + (keys.size() > shown.size() ? " and " + (keys.size() - shown.size()) + " more" : "");
    }
}
