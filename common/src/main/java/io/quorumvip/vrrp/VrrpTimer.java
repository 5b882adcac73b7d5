package io.quorumvip.vrrp;

/** The one timer an instance has armed, named after RFC 5798 §6.2. */
public enum VrrpTimer {
    /** Armed in MASTER: when it fires, send an advert. */
    ADVER_TIMER,
    /** Armed in BACKUP: when it fires, the master is presumed down and this node takes over. */
    MASTER_DOWN_TIMER
}
