package io.quorumvip.vrrp.bench;

import io.quorumvip.vrrp.AuthType;
import io.quorumvip.vrrp.EncodedAdvert;
import io.quorumvip.vrrp.VrrpCodec;
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
 * What a master pays per advert to have its bytes: encoded anew each time, as the agent did, or kept by
 * {@link EncodedAdvert} at an unchanged priority. The advert is the footprint bench's (version 2, auth PASS, one
 * address); the fork runs with the agent launcher's C1-only compiler, as the agent does.
 *
 * <p>Run from the repository root after {@code mvn -B -q -ntp -pl common test-compile} (classpath as in
 * {@link VrrpDecodeBenchmark}): {@code java -cp ... org.openjdk.jmh.Main AdvertEncodeBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-XX:TieredStopAtLevel=1")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AdvertEncodeBenchmark {

    private VrrpPacket advert;
    private ByteBuffer buffer;
    private EncodedAdvert kept;

    @Setup
    public void prepare() throws UnknownHostException {
        Inet4Address vip = (Inet4Address) InetAddress.getByName("192.0.2.200");
        advert = VrrpPacket.v2Advert(51, 100, 1, List.of(vip), AuthType.SIMPLE_TEXT, "1111",
                (Inet4Address) InetAddress.getByName("192.0.2.11"));
        buffer = ByteBuffer.allocate(VrrpCodec.encodedLength(advert));
        kept = new EncodedAdvert(advert);
    }

    /** The agent until now: the priority set on the template, then encoded. */
    @Benchmark
    public ByteBuffer encodeEachTime() {
        buffer.clear();
        VrrpCodec.encode(advert.withPriority(100), buffer);
        return buffer.flip();
    }

    @Benchmark
    public ByteBuffer kept() {
        return kept.message(100);
    }
}
