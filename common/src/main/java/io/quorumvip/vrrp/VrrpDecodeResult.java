package io.quorumvip.vrrp;

/**
 * What {@link VrrpCodec#decode} makes of one received datagram: either the accepted {@link VrrpPacket} itself (so
 * that accepting allocates nothing beyond the packet) or a {@link VrrpDrop} saying why it was dropped.
 */
public sealed interface VrrpDecodeResult permits VrrpPacket, VrrpDrop {
}
