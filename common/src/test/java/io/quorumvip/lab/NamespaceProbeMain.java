package io.quorumvip.lab;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/**
 * A Java main for the harness's own tests: prints the IPv4 addresses it can see (so a test can tell which network
 * namespace it runs in), then waits to be signalled.
 */
public final class NamespaceProbeMain {

    private NamespaceProbeMain() {
    }

    public static void main(String[] args) throws SocketException, InterruptedException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                System.out.println("address " + nic.getName() + " " + address.getHostAddress());
            }
        }
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
