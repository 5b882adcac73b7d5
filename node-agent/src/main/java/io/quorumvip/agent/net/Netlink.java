package io.quorumvip.agent.net;

/** rtnetlink numbers from linux/netlink.h, linux/rtnetlink.h, linux/if_addr.h, linux/if_link.h and linux/if.h. */
final class Netlink {
    static final int HEADER_SIZE = 16;
    static final int ATTRIBUTE_HEADER_SIZE = 4;
    static final int IFADDRMSG_SIZE = 8;
    static final int IFINFOMSG_SIZE = 16;
    static final int NDMSG_SIZE = 12;
    /** struct nlmsgerr: int error, then the request's struct nlmsghdr. */
    static final int NLMSGERR_SIZE = 20;

    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;

    static final int NLM_F_REQUEST = 0x01;
    static final int NLM_F_MULTI = 0x02;
    static final int NLM_F_ACK = 0x04;
    static final int NLM_F_DUMP = 0x300;
    static final int NLM_F_REPLACE = 0x100;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;
    static final int NLM_F_ACK_TLVS = 0x200;
    static final int NLMSGERR_ATTR_MSG = 1;

    /** linux/rtnetlink.h: the multicast group of link notifications (RTM_NEWLINK, RTM_DELLINK). */
    static final int RTMGRP_LINK = 0x1;
    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWADDR = 20;
    static final int RTM_DELADDR = 21;
    static final int RTM_GETADDR = 22;
    static final int RTM_NEWNEIGH = 28;

    /** linux/neighbour.h: the neighbour's address, and "use": resolve it as the first packet to it would. */
    static final int NDA_DST = 1;
    static final int NTF_USE = 0x01;
    static final int NUD_NONE = 0x00;

    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_LABEL = 3;
    static final int IFA_BROADCAST = 4;
    static final int IFA_CACHEINFO = 6;
    static final int IFA_FLAGS = 8;
    static final int IFA_F_SECONDARY = 0x01;
    /** ifa_cacheinfo lifetime meaning "forever". */
    static final long INFINITE_LIFETIME = 0xFFFF_FFFFL;

    static final int IFLA_ADDRESS = 1;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_LINK = 5;
    static final int IFLA_OPERSTATE = 16;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_AF_SPEC = 26;
    static final int IFLA_INFO_KIND = 1;
    static final int IFLA_INFO_DATA = 2;
    static final int IFLA_MACVLAN_MODE = 1;
    /** A macvlan in private mode talks to the wire only, never to its sibling macvlans (keepalived's choice). */
    static final int MACVLAN_MODE_PRIVATE = 1;
    /** IFLA_AF_SPEC / AF_INET: struct ipv4_devconf values, each an attribute whose type is IPV4_DEVCONF_*. */
    static final int IFLA_INET_CONF = 1;
    static final int IFLA_INET6_ADDR_GEN_MODE = 8;
    /** No automatic IPv6 link-local address, so the macvlan sends no DAD, router or MLD traffic of its own. */
    static final int IN6_ADDR_GEN_MODE_NONE = 1;
    static final int IPV4_DEVCONF_RP_FILTER = 8;
    static final int IPV4_DEVCONF_ARPFILTER = 13;
    static final int IPV4_DEVCONF_ARP_IGNORE = 19;
    static final int IPV4_DEVCONF_PROMOTE_SECONDARIES = 20;
    static final int IPV4_DEVCONF_ACCEPT_LOCAL = 23;
    static final int IFLA_CARRIER = 33;
    static final int IFF_UP = 0x1;
    static final int IFF_LOWER_UP = 0x10000;

    static final int RT_SCOPE_UNIVERSE = 0;
    /** Interface names are at most IFNAMSIZ - 1 = 15 bytes. */
    static final int MAX_NAME_LENGTH = 15;

    private Netlink() {
    }

    static int align(int length) {
        return (length + 3) & ~3;
    }
}
