package io.quorumvip.instance;

import io.quorumvip.events.Cause;
import io.quorumvip.events.CauseKind;
import io.quorumvip.vrrp.Cause.FaultDetected;
import io.quorumvip.vrrp.Cause.FaultsCleared;
import io.quorumvip.vrrp.Cause.HigherPriorityAdvert;
import io.quorumvip.vrrp.Cause.MasterReleased;
import io.quorumvip.vrrp.Cause.MasterSilent;
import io.quorumvip.vrrp.Cause.NoMasterHeard;
import io.quorumvip.vrrp.Cause.PreemptedLowerPriority;
import io.quorumvip.vrrp.Cause.ShutDown;
import io.quorumvip.vrrp.Cause.StartedAsAddressOwner;
import io.quorumvip.vrrp.Cause.StartedUp;
import io.quorumvip.vrrp.Cause.TookOver;
import io.quorumvip.vrrp.Cause.Yielded;

/** Translates the state machine's causes into the journal's compact cause, keeping the sender and its priority. */
public final class Causes {

    private Causes() {
    }

    public static Cause of(io.quorumvip.vrrp.Cause cause) {
        if (cause instanceof StartedUp started) {
            return new Cause(CauseKind.STARTUP, "state " + started.hint(), 0);
        } else if (cause instanceof StartedAsAddressOwner) {
            return new Cause(CauseKind.STARTUP, "address owner", 255);
        } else if (cause instanceof NoMasterHeard) {
            return Cause.timer("master_down");
        } else if (cause instanceof MasterSilent silent) {
            return new Cause(CauseKind.TIMER, "master_down after " + silent.master().getHostAddress(),
                    silent.priority());
        } else if (cause instanceof PreemptedLowerPriority preempted) {
            return new Cause(CauseKind.TIMER, "master_down preempting " + preempted.master().getHostAddress(),
                    preempted.priority());
        } else if (cause instanceof MasterReleased released) {
            return Cause.advert(released.master().getHostAddress(), 0);
        } else if (cause instanceof HigherPriorityAdvert advert) {
            return Cause.advert(advert.sender().getHostAddress(), advert.priority());
        } else if (cause instanceof ShutDown) {
            return new Cause(CauseKind.SHUTDOWN, "shutdown", 0);
        } else if (cause instanceof FaultDetected fault) {
            return Cause.health(fault.source(), 0);
        } else if (cause instanceof FaultsCleared) {
            return Cause.health("all faults cleared", 0);
        } else if (cause instanceof Yielded yielded) {
            return Cause.operator(yielded.reason());
        } else if (cause instanceof TookOver tookOver) {
            return new Cause(CauseKind.LEASE_WATCH, tookOver.reason(), 0);
        }
        throw new IllegalArgumentException("no journal cause for " + cause);
    }
}
