package io.quorumvip.vrrp;

import java.net.InetAddress;

/** Why a state changed: a value, so the journal can record it and forensics can explain it. */
public sealed interface Cause {

    /** Startup into BACKUP (or FAULT, see {@link FaultDetected}) with this initial-state hint. */
    record StartedUp(InitialState hint) implements Cause {
    }

    /** Startup straight into MASTER: priority 255 with state MASTER. */
    record StartedAsAddressOwner() implements Cause {
    }

    /** Master_Down_Timer expired and no master was heard since this node entered BACKUP. */
    record NoMasterHeard() implements Cause {
    }

    /** Master_Down_Timer expired: the master last heard (with this priority) fell silent. */
    record MasterSilent(InetAddress master, int priority) implements Cause {
    }

    /** Master_Down_Timer (cut to Skew_Time) expired after the master sent a priority-0 advert. */
    record MasterReleased(InetAddress master) implements Cause {
    }

    /** Master_Down_Timer expired while this node discarded a lower-priority master's adverts (preemption). */
    record PreemptedLowerPriority(InetAddress master, int priority) implements Cause {
    }

    /** A master heard an advert that beats it (higher priority, or equal priority and higher address). */
    record HigherPriorityAdvert(InetAddress sender, int priority) implements Cause {
    }

    /** The Shutdown input. */
    record ShutDown() implements Cause {
    }

    /** A tracked interface or script failed. */
    record FaultDetected(String source) implements Cause {
    }

    /** The last outstanding fault cleared. */
    record FaultsCleared() implements Cause {
    }

    /** The agent asked to leave MASTER (ForceBackup). */
    record Yielded(String reason) implements Cause {
    }

    /** A released master's lease was seen free, so the Skew_Time wait after its priority-0 advert was cut short. */
    record TookOver(String reason) implements Cause {
    }
}
