package io.quorumvip.instance;

import static io.quorumvip.instance.CoreDriver.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.track.TrackerStatus;
import io.quorumvip.vrrp.VrrpState;
import org.junit.jupiter.api.Test;

/** A {@code track_script} with {@code weight N reverse} moves the instance the other way, as keepalived's does. */
class InstanceCoreReverseTrackerTest {

    private static final String SCRIPT = "script chk_standby";

    @Test
    void shouldLowerTheAdvertisedPriorityWhileAReversedScriptSucceedsAndRestoreItWhenItFails() {
        CoreDriver driver = CoreDriver.leased(150, new TrackerStatus(SCRIPT, 20, true, true));
        driver.startAsMaster();
        assertThat(driver.core().state()).isEqualTo(VrrpState.MASTER);
        assertThat(driver.core().view(driver.now()).effectivePriority()).isEqualTo(130);

        driver.clear();
        driver.step(new InstanceInput.TrackerChanged(SCRIPT, false));
        driver.advanceBy(2 * SECOND);
        assertThat(driver.core().view(driver.now()).effectivePriority()).isEqualTo(150);
        assertThat(driver.all(InstanceEffect.SendAdvert.class)).isNotEmpty()
                .allMatch(advert -> advert.priority() == 150);

        driver.clear();
        driver.step(new InstanceInput.TrackerChanged(SCRIPT, true));
        driver.advanceBy(2 * SECOND);
        assertThat(driver.core().view(driver.now()).effectivePriority()).isEqualTo(130);
        assertThat(driver.all(InstanceEffect.SendAdvert.class)).isNotEmpty()
                .allMatch(advert -> advert.priority() == 130);
    }

    @Test
    void shouldRaiseThePriorityByANegativeReversedWeightWhileTheScriptFails() {
        CoreDriver driver = CoreDriver.leased(100, new TrackerStatus(SCRIPT, -30, true, true));
        driver.step(new InstanceInput.Start());
        assertThat(driver.core().view(driver.now()).effectivePriority()).isEqualTo(100);

        driver.step(new InstanceInput.TrackerChanged(SCRIPT, false));

        assertThat(driver.core().view(driver.now()).effectivePriority()).isEqualTo(130);
    }

    @Test
    void shouldBeInFaultWithWeightZeroReverseWhileTheScriptSucceeds() {
        CoreDriver driver = CoreDriver.leased(150, new TrackerStatus(SCRIPT, 0, false, true));
        driver.startAsMaster();
        assertThat(driver.core().state()).isEqualTo(VrrpState.MASTER);

        driver.step(new InstanceInput.TrackerChanged(SCRIPT, true));
        assertThat(driver.core().state()).isEqualTo(VrrpState.FAULT);
        assertThat(driver.core().member().faultOfItsOwn()).isTrue();

        driver.step(new InstanceInput.TrackerChanged(SCRIPT, false));
        assertThat(driver.core().state()).isNotEqualTo(VrrpState.FAULT);
        assertThat(driver.core().member().faultOfItsOwn()).isFalse();
    }
}
