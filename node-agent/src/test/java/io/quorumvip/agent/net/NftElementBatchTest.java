package io.quorumvip.agent.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quorumvip.lb.ElementChange;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The nf_tables element batch on bytes in memory: what the kernel will read, field by field. */
class NftElementBatchTest {

    /**
     * Netlink's headers, attribute headers and the marks are in the host's byte order (a mark is a host integer in
     * nf_tables' registers; NftElementBatch says why), nfgenmsg's resource id in network order: the expected bytes
     * say which field is which, so the test holds on a host of either order.
     */
    @Test
    void shouldWriteASlotThatChangesOwnerAsADeleteAndAnAddBetweenBatchBeginAndEnd() {
        NftElementBatch.Encoded batch = NftElementBatch.encode("qvip_lb",
                List.of(new ElementChange("ip", "slots_x", true, List.of(3), List.of(3), List.of(7))), 100);

        assertThat(HexFormat.of().formatHex(batch.bytes())).isEqualTo(String.join("",
                // NFNL_MSG_BATCH_BEGIN, NLM_F_REQUEST, seq 100; nfgenmsg AF_UNSPEC, version 0, res_id
                // NFNL_SUBSYS_NFTABLES
                host32(20), host16(0x10), host16(0x01), host32(100), host32(0), "00", "00", network16(10),
                // NFT_MSG_DELSETELEM, NLM_F_REQUEST | NLM_F_ACK, seq 101; nfgenmsg NFPROTO_IPV4
                host32(64), host16(0x0a0e), host16(0x05), host32(101), host32(0), "02", "00", network16(0),
                host16(12), host16(1), "717669705f6c6200", host16(12), host16(2), "736c6f74735f7800",
                // elements (nested) > element (nested) > key (nested) > NFTA_DATA_VALUE: mark 3
                host16(20), host16(0x8003), host16(16), host16(0x8001), host16(12), host16(0x8001), host16(8),
                host16(1), host32(3),
                // NFT_MSG_NEWSETELEM, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE, seq 102
                host32(76), host16(0x0a0c), host16(0x0405), host32(102), host32(0), "02", "00", network16(0),
                host16(12), host16(1), "717669705f6c6200", host16(12), host16(2), "736c6f74735f7800",
                // key mark 3, data (nested) > NFTA_DATA_VALUE: mark 7
                host16(32), host16(0x8003), host16(28), host16(0x8001), host16(12), host16(0x8001), host16(8),
                host16(1), host32(3), host16(12), host16(0x8002), host16(8), host16(1), host32(7),
                // NFNL_MSG_BATCH_END, seq 103
                host32(20), host16(0x11), host16(0x01), host32(103), host32(0), "00", "00", network16(10)));
        assertThat(batch.messages()).containsExactly("NFT_MSG_DELSETELEM ip qvip_lb slots_x element 3",
                "NFT_MSG_NEWSETELEM ip qvip_lb slots_x element 3");
        assertThat(NftElementBatch.estimate("qvip_lb", List.of(new ElementChange("ip", "slots_x", true, List.of(3),
                List.of(3), List.of(7))))).isEqualTo(batch.bytes().length);
    }

    @Test
    void shouldSplitALargeChangeIntoMessagesWhoseElementListsFitSixteenBitLengths() throws Exception {
        List<Integer> slots = IntStream.range(0, 4_500).boxed().toList();
        ElementChange change = new ElementChange("ip6", "slots_y", true, List.of(), slots, slots);
        ElementChange serving = new ElementChange("ip6", "serving_y", false, List.of(5, 6), List.of(), List.of());

        NftElementBatch.Encoded batch = NftElementBatch.encode("qvip_lb", List.of(serving, change), 1);

        List<NetlinkMessage> messages = NetlinkMessage.parseAll(ByteBuffer.wrap(batch.bytes()), batch.bytes().length);
        assertThat(messages).extracting(NetlinkMessage::type).containsExactly(NftElementBatch.NFNL_MSG_BATCH_BEGIN,
                10 << 8 | NftElementBatch.NFT_MSG_DELSETELEM, 10 << 8 | NftElementBatch.NFT_MSG_NEWSETELEM,
                10 << 8 | NftElementBatch.NFT_MSG_NEWSETELEM, 10 << 8 | NftElementBatch.NFT_MSG_NEWSETELEM,
                NftElementBatch.NFNL_MSG_BATCH_END);
        assertThat(messages).extracting(NetlinkMessage::sequence).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(NftElementBatch.messages(List.of(serving, change))).isEqualTo(4);
        int elements = 0;
        for (NetlinkMessage message : messages.subList(2, 5)) {
            NetlinkAttributes list = NetlinkAttributes.parse(message.payload(), 4);
            assertThat(list.string(NftElementBatch.NFTA_SET_ELEM_LIST_SET)).contains("slots_y");
            assertThat(message.payload().get(0)).as("NFPROTO_IPV6").isEqualTo((byte) 10);
            int bytes = message.payload().capacity() - 4 - 12 - 12;
            assertThat(bytes).isLessThan(65_536);
            elements += (bytes - 4) / 28;
        }
        assertThat(elements).isEqualTo(4_500);
        assertThat(batch.messages().get(1)).isEqualTo("NFT_MSG_NEWSETELEM ip6 qvip_lb slots_y elements 0, 1, 2, 3, 4,"
                + " 5, 6, 7 and 1992 more");
        assertThat(NftElementBatch.estimate("qvip_lb", List.of(serving, change))).isEqualTo(batch.bytes().length);
    }

    @Test
    void shouldRefuseAFamilyNfTablesDoesNotHave() {
        assertThatThrownBy(() -> NftElementBatch.encode("qvip_lb",
                List.of(new ElementChange("bridge", "slots_x", false, List.of(1), List.of(), List.of())), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("family bridge of set slots_x");
    }

    private static String host32(int value) {
        return HexFormat.of().formatHex(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array());
    }

    private static String host16(int value) {
        return HexFormat.of().formatHex(ByteBuffer.allocate(2).order(ByteOrder.nativeOrder())
                .putShort((short) value).array());
    }

    private static String network16(int value) {
        return HexFormat.of().formatHex(ByteBuffer.allocate(2).putShort((short) value).array());
    }
}
