package io.quorumvip.vrrp.bench;

import io.quorumvip.vrrp.Outputs;
import io.quorumvip.vrrp.VrrpConfig;
import io.quorumvip.vrrp.VrrpInput;
import io.quorumvip.vrrp.VrrpState;
import io.quorumvip.vrrp.VrrpStateMachine;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one {@link VrrpStateMachine#step}: the two steps every instance takes once per advert interval,
 * an advert received in BACKUP and the Adver_Timer firing in MASTER.
 *
 * <p>Run: {@code java -cp <test classpath> org.openjdk.jmh.Main VrrpStateMachineBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class VrrpStateMachineBenchmark {

    private static final long ONE_SECOND = 1_000_000_000L;

    private final VrrpInput advertFromMaster = new VrrpInput.AdvertReceived(address(12), 150, 100);
    private final VrrpInput timerFired = new VrrpInput.TimerFired();

    private VrrpStateMachine backup;
    private VrrpStateMachine master;
    private long now;

    @Setup(Level.Iteration)
    public void setUp() {
        now = 0;
        backup = new VrrpStateMachine(VrrpConfig.keepalivedDefaults(51, 100, address(11)));
        backup.step(new VrrpInput.Startup(), now);
        master = new VrrpStateMachine(VrrpConfig.keepalivedDefaults(51, 255, address(13)));
        master.step(new VrrpInput.Startup(), now);
        if (backup.state() != VrrpState.BACKUP || master.state() != VrrpState.MASTER) {
            throw new IllegalStateException("benchmark setup: got " + backup.state() + "/" + master.state()
                    + " (expected BACKUP/MASTER)");
        }
    }

    @Benchmark
    public Outputs advertReceivedInBackup() {
        now += ONE_SECOND;
        return backup.step(advertFromMaster, now);
    }

    @Benchmark
    public Outputs adverTimerFiredInMaster() {
        now += ONE_SECOND;
        return master.step(timerFired, now);
    }

    private static InetAddress address(int lastOctet) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) lastOctet});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4-byte address is always valid", e);
        }
    }
}
