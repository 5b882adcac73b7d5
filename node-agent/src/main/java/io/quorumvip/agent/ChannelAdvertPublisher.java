package io.quorumvip.agent;

import io.quorumvip.agent.net.VrrpTransport;
import io.quorumvip.vrrp.EncodedAdvert;
import io.quorumvip.vrrp.VrrpPacket;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends one instance's advert through its channel's socket: to 224.0.0.18 or ff02::12, or to each unicast peer. Only
 * the priority changes between adverts, so each destination's bytes are kept and encoded again only when it does
 * ({@link EncodedAdvert}); version 3's checksum covers the destination, so each peer has its own.
 */
final class ChannelAdvertPublisher implements AdvertPublisher {

    private record Destination(InetAddress address, EncodedAdvert advert) {
    }

    private final VrrpTransport transport;
    private final List<Destination> destinations = new ArrayList<>();

    ChannelAdvertPublisher(VrrpPacket template, VrrpTransport transport, List<? extends InetAddress> destinations) {
        this.transport = transport;
        for (InetAddress destination : destinations) {
            EncodedAdvert advert = new EncodedAdvert(template.withDestination(destination));
            this.destinations.add(new Destination(destination, advert));
        }
    }

    @Override
    public void publish(int priority) throws IOException {
        for (Destination destination : destinations) {
            transport.send(destination.advert().message(priority), destination.address());
        }
    }
}
