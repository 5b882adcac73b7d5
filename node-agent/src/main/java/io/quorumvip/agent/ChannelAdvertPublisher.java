package io.quorumvip.agent;

import io.quorumvip.agent.net.VrrpTransport;
import io.quorumvip.vrrp.VrrpCodec;
import io.quorumvip.vrrp.VrrpPacket;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Sends one instance's advert through its channel's socket: to 224.0.0.18 or ff02::12, or to each unicast peer. Only the priority
 * changes between adverts, so the template is built once.
 */
final class ChannelAdvertPublisher implements AdvertPublisher {

    private final VrrpPacket template;
    private final VrrpTransport transport;
    private final List<InetAddress> destinations;
    private final ByteBuffer buffer;

    ChannelAdvertPublisher(VrrpPacket template, VrrpTransport transport, List<? extends InetAddress> destinations) {
        this.template = template;
        this.transport = transport;
        this.destinations = List.copyOf(destinations);
        this.buffer = ByteBuffer.allocate(VrrpCodec.encodedLength(template));
    }

    @Override
    public void publish(int priority) throws IOException {
        VrrpPacket advert = template.withPriority(priority);
        for (InetAddress destination : destinations) {
            buffer.clear();
            // v3's checksum covers the destination, so unicast adverts are encoded per peer.
            VrrpPacket addressed = destination.equals(advert.destination()) ? advert : new VrrpPacket(
                    advert.version(), advert.vrid(), advert.priority(), advert.advertIntervalCentis(),
                    advert.addresses(), advert.authType(), advert.authPassword(), advert.source(), destination,
                    advert.ttl());
            VrrpCodec.encode(addressed, buffer);
            buffer.flip();
            transport.send(buffer, destination);
        }
    }
}
