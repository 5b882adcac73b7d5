package io.quorumvip.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EventCursorTest {

    @Test
    void shouldReadBackWhatItWritesEvenWithDashesInTheNodeId() {
        EventCursor cursor = new EventCursor(115_590_000_000_000_000L, 17, "edge-node-1");

        assertThat(EventCursor.parse(cursor.toString())).isEqualTo(cursor);
    }

    @Test
    void shouldRefuseATextThatIsNotACursorNamingTheValue() {
        assertThatThrownBy(() -> EventCursor.parse("12-n1")).hasMessageContaining("since got '12-n1'");
        assertThatThrownBy(() -> EventCursor.parse("99999999999999999999-1-n1")).hasMessageContaining("HLC-SEQ-NODE");
    }
}
