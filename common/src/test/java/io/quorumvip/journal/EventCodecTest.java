package io.quorumvip.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quorumvip.events.Cause;
import io.quorumvip.events.Event;
import io.quorumvip.events.EventArbitraries;
import io.quorumvip.events.EventRecord;
import io.quorumvip.events.EventType;
import io.quorumvip.events.Hash256;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    @Provide
    Arbitrary<EventRecord> records() {
        return EventArbitraries.records();
    }

    @Property(tries = 2000)
    void shouldDecodeEveryEncodedRecordToAnEqualRecord(@ForAll("records") EventRecord record) {
        byte[] bytes = EventCodec.encode(record);
        assertThat(new EventCodec().decode(bytes, 0, bytes.length)).isEqualTo(record);
    }

    @Test
    void shouldHaveAnArbitraryForEveryEventType() {
        Set<EventType> seen = EnumSet.noneOf(EventType.class);
        EventArbitraries.events().sampleStream().limit(5_000).forEach(e -> seen.add(e.type()));
        assertThat(seen).containsExactlyInAnyOrder(EventType.values());
    }

    @Test
    void shouldRejectUnknownEventTypeCode() {
        byte[] bytes = EventCodec.encode(sample());
        bytes[0] = 99;
        assertThatThrownBy(() -> new EventCodec().decode(bytes, 0, bytes.length))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("got 99");
    }

    @Test
    void shouldRejectTrailingBytes() {
        byte[] bytes = EventCodec.encode(sample());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> new EventCodec().decode(longer, 0, longer.length))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("1 trailing bytes");
    }

    @Test
    void shouldRejectTruncatedRecord() {
        byte[] bytes = EventCodec.encode(sample());
        assertThatThrownBy(() -> new EventCodec().decode(bytes, 0, bytes.length - 3))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("remain in the record");
    }

    @Test
    void shouldRoundTripAReleaseTheKernelMadeWithTheEndOfTheLifetime() {
        EventRecord record = release(new Event.VipReleased("VI_1", "192.0.2.200/24", 1_763_700_004_000_000L));
        byte[] bytes = EventCodec.encode(record);

        EventRecord decoded = new EventCodec().decode(bytes, 0, bytes.length);

        assertThat(decoded).isEqualTo(record);
        assertThat(((Event.VipReleased) decoded.event()).removedByKernel()).isTrue();
    }

    @Test
    void shouldReadAVersionOneReleaseAsRemovedByTheAgent() {
        EventRecord current = release(new Event.VipReleased("VI_1", "192.0.2.200/24"));
        byte[] v1 = versionOneRelease(current);

        EventRecord decoded = new EventCodec().decode(v1, 0, v1.length);

        assertThat(decoded).isEqualTo(current);
        assertThat(((Event.VipReleased) decoded.event()).lifetimeEndedMicros()).isZero();
        assertThat(EventCodec.encode(current)).hasSize(v1.length + 1);
    }

    @Test
    void shouldRejectANegativeLifetimeEnd() {
        EventRecord record = release(new Event.VipReleased("VI_1", "192.0.2.200/24"));
        byte[] bytes = EventCodec.encode(record);
        bytes[bytes.length - 1] = 1;
        assertThatThrownBy(() -> new EventCodec().decode(bytes, 0, bytes.length))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("lifetime ended at -1");
    }

    @Test
    void shouldKeepATypicalRecordUnderAHundredBytes() {
        assertThat(EventCodec.encode(sample())).hasSizeLessThan(100);
    }

    private static EventRecord release(Event.VipReleased event) {
        return new EventRecord("node-11", 43, 1_763_700_020_000_000L, 20_000_000_000L, 1L << 40, 0,
                Cause.leaseWatch("validity ended", 0), Hash256.ZERO, event);
    }

    /** A release as schema version 1 wrote it: the same envelope and fields, ending after the address. */
    static byte[] versionOneRelease(EventRecord record) {
        var event = (Event.VipReleased) record.event();
        BinaryWriter out = new BinaryWriter(128);
        out.u8(event.type().byteValue());
        out.string(record.node());
        out.varint(record.seq());
        out.zigzag(record.wallMicros());
        out.zigzag(record.monoNanos());
        out.varint(record.hlc());
        out.varint(record.leaseEpoch());
        out.u8(record.cause().kind().byteValue());
        out.string(record.cause().subject());
        out.zigzag(record.cause().value());
        out.bytes(record.previousHash().bytes());
        out.string(event.instance());
        out.string(event.address());
        return Arrays.copyOf(out.array(), out.position());
    }

    private static EventRecord sample() {
        return new EventRecord("node-11", 42, 1_763_700_000_000_000L, 123_456_789_000L, 1L << 40, 7,
                Cause.advert("192.0.2.12", 150), Hash256.ZERO, new Event.NewMasterSeen("VI_1", "192.0.2.12", 150));
    }
}
