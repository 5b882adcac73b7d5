package io.quorumvip.agent.net;

import io.quorumvip.lb.LvsStats;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the named counters of one nftables table straight from the kernel: one NFT_MSG_GETOBJ dump filtered by table
 * and type, nothing else. libnftables 1.0.6 fills its whole cache before any {@code list} command, {@code list
 * counters} too, and that cache holds every element of every set: with 10,000 real servers (~200,000 slot
 * elements) one read took seconds and hundreds of MiB. Read only; the counters are not reset.
 */
public final class NftCounterDump implements AutoCloseable {
    private static final int NFNL_SUBSYS_NFTABLES = 10;
    private static final int NFT_MSG_GETOBJ = 19;
    private static final int NFT_MSG_NEWOBJ = 18;
    private static final int NFTA_OBJ_TABLE = 1;
    private static final int NFTA_OBJ_NAME = 2;
    private static final int NFTA_OBJ_TYPE = 3;
    private static final int NFTA_OBJ_DATA = 4;
    private static final int NFT_OBJECT_COUNTER = 1;
    private static final int NFTA_COUNTER_BYTES = 1;
    private static final int NFTA_COUNTER_PACKETS = 2;
    /** struct nfgenmsg: family, version, resource id. */
    private static final int NFGENMSG_SIZE = 4;
    private static final Map<String, Integer> FAMILIES = Map.of("ip", 2, "ip6", 10, "netdev", 5, "inet", 1);

    private final RtNetlinkSocket socket;

    private NftCounterDump(RtNetlinkSocket socket) {
        this.socket = socket;
    }

    /** A NETLINK_NETFILTER socket in the calling thread's network namespace. */
    public static NftCounterDump open() throws IOException {
        return new NftCounterDump(RtNetlinkSocket.open(LibC.NETLINK_NETFILTER));
    }

    /**
     * Every counter object of {@code table} in {@code family}, by name; none when there is no such table (the dump
     * filters, it does not look the table up).
     *
     * @throws IOException the kernel refused the dump or its answer was malformed
     */
    public Map<String, LvsStats.Counter> counters(String family, String table) throws IOException {
        Integer code = FAMILIES.get(family);
        if (code == null) {
            throw new IllegalArgumentException("nftables family " + family + " is not one of " + FAMILIES.keySet());
        }
        String what = "NFT_MSG_GETOBJ counters of table " + family + " " + table;
        Map<String, LvsStats.Counter> counters = new LinkedHashMap<>();
        for (NetlinkMessage message : socket.exchange(what, sequence -> new NetlinkMessageBuilder(
                NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_GETOBJ, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP, sequence)
                .u8(code).u8(0).u16(0)
                .attributeString(NFTA_OBJ_TABLE, table)
                .attribute(NFTA_OBJ_TYPE, bigEndian(NFT_OBJECT_COUNTER))
                .build())) {
            if (message.type() != (NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWOBJ)) {
                continue;
            }
            NetlinkAttributes object = NetlinkAttributes.parse(message.payload(), NFGENMSG_SIZE);
            if (!object.string(NFTA_OBJ_TABLE).orElse("").equals(table)) {
                continue;
            }
            String name = object.string(NFTA_OBJ_NAME).orElseThrow(() -> new NetlinkFormatException(what
                    + ": an object without NFTA_OBJ_NAME"));
            NetlinkAttributes data = object.nested(NFTA_OBJ_DATA).orElseThrow(() -> new NetlinkFormatException(
                    what + ": counter " + name + " without NFTA_OBJ_DATA"));
            counters.put(name, new LvsStats.Counter(data.u64BigEndian(NFTA_COUNTER_PACKETS).orElse(0L),
                    data.u64BigEndian(NFTA_COUNTER_BYTES).orElse(0L)));
        }
        return counters;
    }

    private static byte[] bigEndian(int value) {
        return new byte[]{(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    @Override
    public void close() {
        socket.close();
    }
}
