package io.quorumvip.vrrp;

/**
 * Why a received datagram was not accepted as a VRRP advertisement. Like keepalived's {@code VRRP_PACKET_KO}, a
 * dropped advert is ignored as a whole: it neither resets the master-down timer nor starts an election. Each reason
 * carries a hint saying what to change; its ordinal indexes {@link DropCounters}.
 */
public enum DropReason {
    /** The datagram ends before its IPv4 header or the fixed 8-byte VRRP header does. */
    TRUNCATED("a broken sender or a cut capture; nothing to configure here"),
    /** IPv4 version, header length, total length or header checksum is inconsistent. */
    BAD_IP_HEADER("the IPv4 header is corrupt; check the sender's network stack"),
    /** IP protocol is not 112. */
    NOT_VRRP("only IP protocol 112 carries VRRP; auth_type AH (protocol 51) is not supported, use PASS or none"),
    /** IPv4 TTL is not 255: the advert was routed or forged (RFC 3768 §7.1, RFC 5798 §7.1). */
    TTL_NOT_255("VRRP must stay on one link; the sender is not directly attached or something routed the advert"),
    /** The VRRP version nibble is neither 2 nor 3. */
    BAD_VERSION("only VRRP versions 2 and 3 exist; the sender is not speaking VRRP"),
    /** The VRRP type nibble is not 1, ADVERTISEMENT (the only type RFC 3768/5798 define). */
    BAD_TYPE("only type 1 ADVERTISEMENT is defined; the sender is not speaking VRRP"),
    /** The VRRP message length does not fit its address count (version 2: plus 8 authentication bytes). */
    LENGTH_MISMATCH("the message length disagrees with its Count IPvX Addr field; a broken sender"),
    /** The checksum is wrong (version 3: computed with the IPv4 pseudo-header, RFC 5798 §5.2.8). */
    BAD_CHECKSUM("corrupted in transit, or a VRRPv3 sender that leaves out the pseudo-header"),
    /** No instance on this interface has this VRID. */
    UNKNOWN_VRID("another VRRP router uses this VRID on the link: configure it here, "
            + "or give that router another virtual_router_id"),
    /** This VRID is configured for the other VRRP version. */
    VERSION_MISMATCH("set the same vrrp_version on every router of this VRID"),
    /** The version 2 Auth Type differs from the configured {@code auth_type}. */
    AUTH_TYPE_MISMATCH("set the same authentication { auth_type } on every router of this VRID"),
    /** The version 2 simple-text password differs from the configured {@code auth_pass}. */
    AUTH_MISMATCH("set the same auth_pass on every router of this VRID"),
    /** The version 2 Adver Int differs from the configured {@code advert_int} (RFC 3768 §7.1: MUST drop). */
    ADVERT_INTERVAL_MISMATCH("set the same advert_int on every router of this VRID"),
    /**
     * The advert's address list differs from the configured {@code virtual_ipaddress} list (as a set). RFC 3768 §7.1
     * only says "SHOULD log", but keepalived 2.2 drops the advert ({@code vrrp_check_packet} returns
     * {@code VRRP_PACKET_KO}, counted in {@code addr_list_err}) and so does this codec, to interoperate.
     */
    ADDRESS_LIST_MISMATCH("set the same virtual_ipaddress list on every router of this VRID"),
    /**
     * The instance has a {@code unicast_peer} list and the advert's IP source is not in it. keepalived drops such an
     * advert only with {@code check_unicast_src} ({@code vrrp.c}, {@code vrrp_check_packet}); here a peer list is
     * always a filter, so a stranger on the link cannot take the VIP by sending a higher priority.
     */
    NOT_A_UNICAST_PEER("the sender is not in this VRID's unicast_peer list: list its address there (the peer's"
            + " unicast_src_ip), or find out who else sends adverts for this VRID");

    private final String hint;

    DropReason(String hint) {
        this.hint = hint;
    }

    /** What an operator can do about it. */
    public String hint() {
        return hint;
    }
}
