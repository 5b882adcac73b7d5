package io.quorumvip.instance;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.track.TrackedFileStatus;
import io.quorumvip.track.TrackerStatus;
import io.quorumvip.vrrp.VrrpState;
import org.junit.jupiter.api.Test;

class InstanceCoreTrackedValueTest {

    private static final String FILE = "file force_down";

    @Test
    void shouldMoveTheEffectivePriorityByTheTrackedFilesValue() {
        CoreDriver driver = CoreDriver.leased(150, TrackedFileStatus.tracker(FILE, 0, -20, false));
        driver.step(new InstanceInput.Start());

        driver.step(new InstanceInput.TrackerStatusChanged(TrackedFileStatus.tracker(FILE, 2, -20, false)));
        assertThat(driver.core().view(0).effectivePriority()).isEqualTo(110);

        driver.step(new InstanceInput.TrackerStatusChanged(TrackedFileStatus.tracker(FILE, 0, -20, false)));
        assertThat(driver.core().view(0).effectivePriority()).isEqualTo(150);
    }

    @Test
    void shouldFaultAtMinus254AndLeaveFaultWhenTheValueReturns() {
        CoreDriver driver = CoreDriver.leased(150, TrackedFileStatus.tracker(FILE, 0, 1, false));
        driver.step(new InstanceInput.Start());

        driver.step(new InstanceInput.TrackerStatusChanged(TrackedFileStatus.tracker(FILE, -254, 1, false)));
        assertThat(driver.core().state()).isEqualTo(VrrpState.FAULT);

        driver.step(new InstanceInput.TrackerStatusChanged(TrackedFileStatus.tracker(FILE, 5, 1, false)));
        assertThat(driver.core().state()).isNotEqualTo(VrrpState.FAULT);
        assertThat(driver.core().view(0).effectivePriority()).isEqualTo(155);
    }

    @Test
    void shouldIgnoreAStatusForATrackerTheInstanceDoesNotTrack() {
        CoreDriver driver = CoreDriver.leased(150);
        driver.step(new InstanceInput.Start());
        driver.step(new InstanceInput.TrackerStatusChanged(new TrackerStatus("file other", 0, false)));

        assertThat(driver.core().state()).isNotEqualTo(VrrpState.FAULT);
    }
}
