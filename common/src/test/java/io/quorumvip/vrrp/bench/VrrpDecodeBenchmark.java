package io.quorumvip.vrrp.bench;

import io.quorumvip.vrrp.AuthType;
import io.quorumvip.vrrp.Ipv4Datagrams;
import io.quorumvip.vrrp.VridExpectation;
import io.quorumvip.vrrp.VrrpCodec;
import io.quorumvip.vrrp.VrrpDecodeResult;
import io.quorumvip.vrrp.VrrpExpectations;
import io.quorumvip.vrrp.VrrpPacket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decode + validate throughput of one received datagram per operation, as the agent's receive loop does it: from a
 * direct buffer, against the interface's expectations. Goal: at least 5 million datagrams per second on one core,
 * allocating nothing beyond the decoded packet (read {@code gc.alloc.rate.norm} with {@code -prof gc}).
 *
 * <p>Run from the repository root after {@code mvn -B -q -ntp -pl common test-compile}:
 * <pre>
 * mvn -B -q -ntp -pl common dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/cp.txt
 * java -cp common/target/test-classes:common/target/classes:$(cat /tmp/cp.txt) org.openjdk.jmh.Main \
 *     VrrpDecodeBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class VrrpDecodeBenchmark {

    private ByteBuffer v2Datagram;
    private ByteBuffer v3Datagram;
    private ByteBuffer badChecksumDatagram;
    private VrrpExpectations expectations;

    @Setup
    public void prepare() throws UnknownHostException {
        Inet4Address source = ipv4("192.0.2.12");
        Inet4Address vip = ipv4("192.0.2.200");
        expectations = VrrpExpectations.of(
                VridExpectation.v2(51, 1, AuthType.SIMPLE_TEXT, "1111", List.of(vip)),
                VridExpectation.v3(60, 100, List.of(vip)));
        v2Datagram = direct(Ipv4Datagrams.of(
                VrrpPacket.v2Advert(51, 100, 1, List.of(vip), AuthType.SIMPLE_TEXT, "1111", source)));
        v3Datagram = direct(Ipv4Datagrams.of(VrrpPacket.v3Advert(60, 100, 100, List.of(vip), source)));
        byte[] corrupt = Ipv4Datagrams.of(
                VrrpPacket.v2Advert(51, 100, 1, List.of(vip), AuthType.SIMPLE_TEXT, "1111", source));
        corrupt[corrupt.length - 1] ^= 1;
        badChecksumDatagram = direct(corrupt);
    }

    @Benchmark
    public VrrpDecodeResult decodeV2() {
        return VrrpCodec.decode(v2Datagram, expectations);
    }

    @Benchmark
    public VrrpDecodeResult decodeV3() {
        return VrrpCodec.decode(v3Datagram, expectations);
    }

    /** A dropped datagram: the detail text is not built, so a flood of bad ones stays cheap. */
    @Benchmark
    public VrrpDecodeResult dropBadChecksum() {
        return VrrpCodec.decode(badChecksumDatagram, expectations);
    }

    private static ByteBuffer direct(byte[] datagram) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(datagram.length);
        buffer.put(datagram).flip();
        return buffer;
    }

    private static Inet4Address ipv4(String literal) throws UnknownHostException {
        return (Inet4Address) InetAddress.getByName(literal);
    }
}
