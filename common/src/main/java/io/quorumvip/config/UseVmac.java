package io.quorumvip.config;

import java.util.Objects;

/**
 * An instance's {@code use_vmac}: its addresses live on a macvlan with the VRRP virtual MAC, as keepalived does it.
 *
 * @param interfaceName the macvlan's name: the one written, else keepalived's default {@code vrrp.VRID} (the next
 *                      free {@code vrrpN.VRID} when another instance has it; IPv6 tries {@code vrrp6.VRID} first)
 * @param xmitBase      {@code vmac_xmit_base}: adverts go out of the base interface instead of the macvlan
 * @param position      where {@code use_vmac} was written
 */
public record UseVmac(String interfaceName, boolean xmitBase, SourcePosition position) {

    public UseVmac {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(position, "position");
    }
}
