package io.quorumvip.vrrp;

import static io.quorumvip.vrrp.VrrpCodecDecodeTest.EXPECTATIONS;
import static io.quorumvip.vrrp.VrrpCodecDecodeTest.GROUP;
import static io.quorumvip.vrrp.VrrpCodecEncodeTest.ipv4;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class VrrpCodecPropertiesTest {

    @Property
    void encodingThenDecodingShouldGiveBackTheAdvert(@ForAll("adverts") VrrpPacket advert,
            @ForAll boolean configuredInReverseOrder) {
        VrrpExpectations expectations = expectationsFor(advert, configuredInReverseOrder);

        VrrpDecodeResult result = VrrpCodec.decode(ByteBuffer.wrap(Ipv4Datagrams.of(advert)), expectations);

        assertThat(result).isEqualTo(advert);
    }

    /**
     * Stronger than "dropped or valid": the IPv4 header checksum covers every header byte and the VRRP checksum every
     * message byte, and a one's complement sum changes under any single-byte change, so every corruption is caught.
     */
    @Property
    void anySingleByteCorruptionShouldBeDroppedWithAReason(@ForAll("adverts") VrrpPacket advert,
            @ForAll @IntRange(min = 0, max = 10_000) int position, @ForAll @IntRange(min = 1, max = 255) int flip) {
        byte[] datagram = Ipv4Datagrams.of(advert);
        datagram[position % datagram.length] ^= (byte) flip;

        VrrpDecodeResult result = VrrpCodec.decode(ByteBuffer.wrap(datagram), expectationsFor(advert, false));

        assertThat(result).isInstanceOf(VrrpDrop.class);
        assertThat(((VrrpDrop) result).detail()).isNotBlank();
    }

    @Property(tries = 2000)
    void decodingArbitraryBytesShouldNeverThrow(@ForAll @Size(max = 120) byte[] bytes) {
        VrrpDecodeResult result = VrrpCodec.decode(ByteBuffer.wrap(bytes), EXPECTATIONS);

        assertThat(result).isInstanceOf(VrrpDrop.class);
        assertThat(((VrrpDrop) result).message()).isNotBlank();
    }

    /**
     * Plausible VRRP messages (mostly the right version, type, VRID, lengths and addresses, with random fields and
     * random cuts) behind a valid IPv4 header, mostly with a valid checksum, so that the fuzz reaches every check.
     */
    @Property(tries = 3000)
    void decodingPlausibleVrrpMessagesShouldNeverThrow(@ForAll("plausibleMessages") byte[] message,
            @ForAll @IntRange(min = 0, max = 9) int checksumChoice) {
        byte[] datagram = Ipv4Datagrams.wrap(message, ipv4("192.0.2.12"), GROUP);
        if (checksumChoice > 0 && message.length >= 8) {
            datagram = VrrpCodecDecodeTest.withFixedVrrpChecksum(datagram);
        }

        VrrpDecodeResult result = VrrpCodec.decode(ByteBuffer.wrap(datagram), EXPECTATIONS);

        Statistics.collect(result instanceof VrrpDrop drop ? drop.reason().name() : "accepted");
        if (result instanceof VrrpPacket packet) {
            assertThat(VrrpCodec.decode(ByteBuffer.wrap(Ipv4Datagrams.of(packet)), EXPECTATIONS)).isEqualTo(packet);
        } else {
            assertThat(((VrrpDrop) result).message()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<byte[]> plausibleMessages() {
        Arbitrary<Integer> versions = Arbitraries.frequencyOf(
                Tuple.of(45, Arbitraries.just(2)),
                Tuple.of(45, Arbitraries.just(3)),
                Tuple.of(10, Arbitraries.integers().between(0, 15)));
        Arbitrary<Integer> types = Arbitraries.frequencyOf(
                Tuple.of(90, Arbitraries.just(1)),
                Tuple.of(10, Arbitraries.integers().between(0, 15)));
        Arbitrary<Integer> anyByte = Arbitraries.integers().between(0, 255);
        Arbitrary<Integer> vrids = Arbitraries.oneOf(Arbitraries.of(51, 60, 52), anyByte);
        Arbitrary<Integer> smallOrAny = Arbitraries.oneOf(Arbitraries.of(0, 1, 2), anyByte);
        Arbitrary<List<Integer>> hosts = Arbitraries.of(200, 201, 202).list().ofMaxSize(3);
        Arbitrary<Boolean> rightPassword = Arbitraries.of(true, true, false);
        Arbitrary<Integer> cut = Arbitraries.frequencyOf(
                Tuple.of(85, Arbitraries.just(0)),
                Tuple.of(15, Arbitraries.integers().between(-12, 12)));
        return Combinators.combine(versions, types, vrids, smallOrAny, smallOrAny, hosts, rightPassword, cut)
                .as((version, type, vrid, byte4, byte5, hostList, password, lengthCut) -> {
                    ByteBuffer message = ByteBuffer.allocate(8 + 4 * hostList.size() + 8);
                    message.put((byte) (version << 4 | type)).put(vrid.byteValue()).put((byte) 100)
                            .put((byte) hostList.size()).put(byte4.byteValue()).put(byte5.byteValue())
                            .putShort((short) 0);
                    hostList.forEach(host -> message.put(testNet(host).getAddress()));
                    if (version != 3) {
                        message.put(password ? "1111\0\0\0\0".getBytes(StandardCharsets.US_ASCII) : new byte[8]);
                    }
                    int length = Math.max(0, Math.min(message.capacity(), message.position() + lengthCut));
                    return Arrays.copyOf(message.array(), length);
                });
    }

    @Provide
    Arbitrary<VrrpPacket> adverts() {
        return Arbitraries.oneOf(v2Adverts(), v3Adverts());
    }

    private Arbitrary<VrrpPacket> v2Adverts() {
        Arbitrary<String> passwords = Arbitraries.strings().withCharRange('!', '~').ofMaxLength(8);
        Arbitrary<AuthType> authTypes = Arbitraries.of(AuthType.NONE, AuthType.SIMPLE_TEXT);
        return Combinators.combine(vrids(), priorities(), Arbitraries.integers().between(1, 255), addresses(),
                        authTypes, passwords, hosts(), destinations())
                .as((vrid, priority, seconds, addresses, authType, password, source, destination) ->
                        new VrrpPacket(VrrpVersion.V2, vrid, priority, seconds * 100, List.copyOf(addresses),
                                authType, authType == AuthType.SIMPLE_TEXT ? password : "", source, destination,
                                255));
    }

    private Arbitrary<VrrpPacket> v3Adverts() {
        return Combinators.combine(vrids(), priorities(), Arbitraries.integers().between(1, 4095), addresses(),
                        hosts(), destinations())
                .as((vrid, priority, centis, addresses, source, destination) ->
                        new VrrpPacket(VrrpVersion.V3, vrid, priority, centis, List.copyOf(addresses), AuthType.NONE,
                                "", source, destination, 255));
    }

    private static Arbitrary<Integer> vrids() {
        return Arbitraries.integers().between(1, 255);
    }

    private static Arbitrary<Integer> priorities() {
        return Arbitraries.integers().between(0, 255);
    }

    private static Arbitrary<Inet4Address> hosts() {
        return Arbitraries.integers().between(1, 254).map(VrrpCodecPropertiesTest::testNet);
    }

    private static Arbitrary<InetAddress> destinations() {
        return Arbitraries.oneOf(Arbitraries.just(GROUP), hosts());
    }

    private static Arbitrary<List<Inet4Address>> addresses() {
        return Arbitraries.integers().between(1, 254).list().uniqueElements().ofMaxSize(30)
                .map(hosts -> hosts.stream().map(VrrpCodecPropertiesTest::testNet).toList());
    }

    private static Inet4Address testNet(int host) {
        return ipv4("192.0.2." + host);
    }

    private static VrrpExpectations expectationsFor(VrrpPacket advert, boolean reversed) {
        List<Inet4Address> addresses = new ArrayList<>();
        advert.addresses().forEach(address -> addresses.add((Inet4Address) address));
        if (reversed) {
            Collections.reverse(addresses);
        }
        int configuredInterval = advert.version() == VrrpVersion.V2 ? advert.advertIntervalCentis() : 100;
        return VrrpExpectations.of(new VridExpectation(advert.vrid(), advert.version(), advert.authType(),
                advert.authPassword(), configuredInterval, addresses));
    }
}
