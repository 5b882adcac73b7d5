package io.quorumvip.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class EncodedAdvertTest {

    private static final InetAddress PEER = address("192.0.2.12");

    private static byte[] fresh(VrrpPacket advert) {
        ByteBuffer out = ByteBuffer.allocate(VrrpCodec.encodedLength(advert));
        VrrpCodec.encode(advert, out);
        return out.array();
    }

    private static byte[] bytes(ByteBuffer message) {
        byte[] copy = new byte[message.remaining()];
        message.duplicate().get(copy);
        return copy;
    }

    private static List<VrrpPacket> adverts() {
        return List.of(
                VrrpPacket.v2Advert(51, 100, 1, List.of(VrrpCodecEncodeTest.VIP_200), AuthType.SIMPLE_TEXT, "1111",
                        VrrpCodecEncodeTest.NODE_11),
                VrrpPacket.v3Advert(7, 150, 100, List.of(VrrpCodecEncodeTest.VIP_200, VrrpCodecEncodeTest.VIP_201),
                        VrrpCodecEncodeTest.NODE_11),
                VrrpPacket.v3Advert(7, 150, 100, List.of(VrrpCodecEncodeTest.VIP_200), VrrpCodecEncodeTest.NODE_11)
                        .withDestination(PEER),
                VrrpPacket.v3Advert(9, 200, 50, List.of(address("2001:db8::200")), address("fe80::11")));
    }

    @Test
    void sendsTheBytesAFreshEncodeWritesThroughEveryPriorityChange() {
        for (VrrpPacket template : adverts()) {
            EncodedAdvert advert = new EncodedAdvert(template);
            for (int priority : new int[] {100, 100, 0, 0, 254, 100}) {
                assertThat(bytes(advert.message(priority))).as("%s at priority %d", template, priority)
                        .isEqualTo(fresh(template.withPriority(priority)));
            }
        }
    }

    @Test
    void theChecksumCoversTheDestinationOfAVersion3Advert() {
        VrrpPacket multicast = adverts().get(1);
        EncodedAdvert toGroup = new EncodedAdvert(multicast);
        EncodedAdvert toPeer = new EncodedAdvert(multicast.withDestination(PEER));

        assertThat(bytes(toPeer.message(150))).isNotEqualTo(bytes(toGroup.message(150)))
                .isEqualTo(fresh(multicast.withDestination(PEER)));
    }

    @Test
    void aMessageReadToItsEndIsWholeAgainAtTheNextAdvert() {
        EncodedAdvert advert = new EncodedAdvert(adverts().get(0));
        ByteBuffer first = advert.message(100);
        int length = first.remaining();
        first.position(first.limit());

        assertThat(advert.message(100).remaining()).isEqualTo(length);
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
