package io.quorumvip.vrrp;

/** The states of one VRRP instance (RFC 5798 §6.4), plus keepalived's FAULT. */
public enum VrrpState {
    /** RFC 5798 §6.4.1: waiting for Startup; sends nothing and has no timer. */
    INITIALIZE,
    /** RFC 5798 §6.4.2: listens for the master's adverts; Master_Down_Timer armed. */
    BACKUP,
    /** RFC 5798 §6.4.3: sends adverts every Advertisement_Interval; Adver_Timer armed. */
    MASTER,
    /** keepalived's FAULT (not in the RFC): a tracked interface or script failed; sends nothing, ignores adverts. */
    FAULT
}
