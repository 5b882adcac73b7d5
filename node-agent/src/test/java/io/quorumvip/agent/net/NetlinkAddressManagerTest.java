package io.quorumvip.agent.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Addresses added over rtnetlink, checked against {@code ip -j addr} as the independent truth (root only). */
class NetlinkAddressManagerTest {
    private static final long FOREVER = 4294967295L;

    private static VethLab lab;
    private NetlinkAddressManager addresses;

    @BeforeAll
    static void createLab() throws Exception {
        VethLab.assumeRootAndIp();
        lab = VethLab.create();
    }

    @AfterAll
    static void removeLab() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @BeforeEach
    void open() throws Exception {
        addresses = lab.inA(NetlinkAddressManager::open);
    }

    @AfterEach
    void removeTestAddressesAndClose() throws Exception {
        for (InterfaceAddress address : lab.inA(() -> addresses.list("eth0"))) {
            if (!address.address().getHostAddress().equals(VethLab.ADDRESS_A) && address.address().getAddress().length == 4) {
                lab.inA(() -> addresses.remove(address));
            }
        }
        addresses.close();
    }

    @Test
    void shouldAddAddressWithPrefixLabelBroadcastAndLifetimeAsIpShowsIt() throws Exception {
        InterfaceAddress vip = vip("192.0.2.200", 24, "eth0:vip");

        boolean added = lab.inA(() -> addresses.addOrRenew(vip, Optional.of(Duration.ofSeconds(30))));

        JsonObject shown = ipShows("192.0.2.200");
        assertThat(added).isTrue();
        assertThat(shown.getInteger("prefixlen")).isEqualTo(24);
        assertThat(shown.getString("label")).isEqualTo("eth0:vip");
        assertThat(shown.getString("broadcast")).isEqualTo("192.0.2.255");
        assertThat(shown.getLong("valid_life_time")).isBetween(20L, 30L);
        assertThat(shown.getLong("preferred_life_time")).isBetween(20L, 30L);
        assertThat(lab.inA(() -> addresses.list("eth0"))).contains(vip);
    }

    @Test
    void shouldAddPermanentAddressWithoutLifetime() throws Exception {
        InterfaceAddress vip = vip("192.0.2.201", 32, null);

        lab.inA(() -> addresses.addOrRenew(vip, Optional.empty()));

        JsonObject shown = ipShows("192.0.2.201");
        assertThat(shown.getInteger("prefixlen")).isEqualTo(32);
        assertThat(shown.getString("label")).isEqualTo("eth0");
        assertThat(shown.containsKey("broadcast")).isFalse();
        assertThat(shown.getLong("valid_life_time")).isEqualTo(FOREVER);
    }

    @Test
    void shouldRenewLifetimeOfAnAddressThatIsThere() throws Exception {
        InterfaceAddress vip = vip("192.0.2.202", 24, null);
        lab.inA(() -> addresses.addOrRenew(vip, Optional.of(Duration.ofSeconds(5))));

        boolean addedAgain = lab.inA(() -> addresses.addOrRenew(vip, Optional.of(Duration.ofSeconds(100))));

        assertThat(addedAgain).isFalse();
        assertThat(ipShows("192.0.2.202").getLong("valid_life_time")).isBetween(90L, 100L);
    }

    @Test
    void shouldAddAndRemoveIdempotently() throws Exception {
        InterfaceAddress vip = vip("192.0.2.203", 24, "eth0:1");

        boolean firstAdd = lab.inA(() -> addresses.addOrRenew(vip, Optional.empty()));
        boolean secondAdd = lab.inA(() -> addresses.addOrRenew(vip, Optional.empty()));
        boolean firstRemove = lab.inA(() -> addresses.remove(vip));
        boolean secondRemove = lab.inA(() -> addresses.remove(vip));

        assertThat(List.of(firstAdd, secondAdd, firstRemove, secondRemove)).containsExactly(true, false, true, false);
        assertThat(ipShowsMaybe("192.0.2.203")).isNull();
    }

    @Test
    void shouldLetTheKernelRemoveAnAddressWhoseLifetimeRunsOut() throws Exception {
        InterfaceAddress vip = vip("192.0.2.204", 24, null);
        lab.inA(() -> addresses.addOrRenew(vip, Optional.of(Duration.ofSeconds(1))));

        boolean gone = waitUntilGone(vip, Duration.ofSeconds(10));

        assertThat(gone).as("192.0.2.204 with valid_lft 1 gone within 10 s").isTrue();
        assertThat(ipShowsMaybe("192.0.2.204")).isNull();
    }

    @Test
    void shouldKeepAnAddressWhileItIsRenewedAndDropItWhenRenewalStops() throws Exception {
        InterfaceAddress vip = vip("192.0.2.205", 24, null);
        lab.inA(() -> addresses.addOrRenew(vip, Optional.of(Duration.ofSeconds(2))));

        List<Boolean> presentAtEachRenewal = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread.sleep(500);
            presentAtEachRenewal.add(lab.inA(() -> addresses.list("eth0")).contains(vip));
            lab.inA(() -> addresses.addOrRenew(vip, Optional.of(Duration.ofSeconds(2))));
        }
        JsonObject afterRenewals = ipShowsMaybe("192.0.2.205");
        boolean goneAfterwards = waitUntilGone(vip, Duration.ofSeconds(10));

        assertThat(presentAtEachRenewal).containsOnly(true);
        assertThat(afterRenewals).isNotNull();
        assertThat(goneAfterwards).isTrue();
    }

    @Test
    void shouldCreateSomeAndRenewOthersInOneBatchAndReportEachOutcomeApart() throws Exception {
        InterfaceAddress there = vip("192.0.2.220", 24, null);
        InterfaceAddress fresh = vip("192.0.2.221", 24, "eth0:vip");
        InterfaceAddress nowhere = new InterfaceAddress("nosuch0", InetAddress.getByName("192.0.2.222"), 24,
                Optional.empty());
        InterfaceAddress another = vip("192.0.2.223", 32, null);
        lab.inA(() -> addresses.addOrRenew(there, Optional.of(Duration.ofSeconds(5))));
        Optional<Duration> lifetime = Optional.of(Duration.ofSeconds(100));

        List<AddressManager.Outcome> outcomes = lab.inA(() -> addresses.addOrRenewAll(List.of(
                new AddressManager.Request(there, lifetime), new AddressManager.Request(fresh, lifetime),
                new AddressManager.Request(nowhere, lifetime), new AddressManager.Request(another, lifetime))));

        assertThat(outcomes.get(0)).isEqualTo(AddressManager.Outcome.RENEWED);
        assertThat(outcomes.get(1)).isEqualTo(AddressManager.Outcome.CREATED);
        assertThat(outcomes.get(2).error()).get().extracting(Throwable::getMessage).asString()
                .startsWith("interface nosuch0: if_nametoindex failed");
        assertThat(outcomes.get(3)).isEqualTo(AddressManager.Outcome.CREATED);
        for (String address : List.of("192.0.2.220", "192.0.2.221", "192.0.2.223")) {
            assertThat(ipShows(address).getLong("valid_life_time")).as(address).isBetween(90L, 100L);
        }
        assertThat(ipShows("192.0.2.221").getString("label")).isEqualTo("eth0:vip");
    }

    @Test
    void shouldRenewMoreAddressesThanOneBatchHolds() throws Exception {
        List<AddressManager.Request> requests = new ArrayList<>();
        for (int i = 1; i <= 150; i++) {
            requests.add(new AddressManager.Request(vip("198.51.100." + i, 32, null),
                    Optional.of(Duration.ofSeconds(50))));
        }

        List<AddressManager.Outcome> first = lab.inA(() -> addresses.addOrRenewAll(requests));
        List<AddressManager.Outcome> again = lab.inA(() -> addresses.addOrRenewAll(requests));

        assertThat(first).hasSize(150).containsOnly(AddressManager.Outcome.CREATED);
        assertThat(again).hasSize(150).containsOnly(AddressManager.Outcome.RENEWED);
        assertThat(lab.inA(() -> addresses.list("eth0"))).containsAll(requests.stream()
                .map(AddressManager.Request::address).toList());
    }

    @Test
    void shouldFindADeviceCreatedAgainUnderTheSameName() throws Exception {
        InterfaceAddress vip = new InterfaceAddress("qvdum0", InetAddress.getByName("192.0.2.230"), 32,
                Optional.empty());
        try {
            VethLab.ip("-n", lab.nsA, "link", "add", "qvdum0", "type", "veth", "peer", "name", "qvdum1");
            boolean addedBefore = lab.inA(() -> addresses.addOrRenew(vip, Optional.of(Duration.ofSeconds(30))));
            VethLab.ip("-n", lab.nsA, "link", "del", "qvdum0");
            VethLab.ip("-n", lab.nsA, "link", "add", "qvdum0", "type", "veth", "peer", "name", "qvdum1");

            boolean addedAfter = lab.inA(() -> addresses.addOrRenew(vip, Optional.of(Duration.ofSeconds(30))));
            List<InterfaceAddress> onNewDevice = lab.inA(() -> addresses.list("qvdum0"));
            boolean removed = lab.inA(() -> addresses.remove(vip));

            assertThat(addedBefore).isTrue();
            assertThat(addedAfter).as("created on the new device, not an error on the old index").isTrue();
            assertThat(onNewDevice).contains(vip);
            assertThat(removed).isTrue();
        } finally {
            try {
                VethLab.ip("-n", lab.nsA, "link", "del", "qvdum0");
            } catch (IOException gone) {
                // Already gone (a failure between the delete and the re-create); the namespace goes after all tests.
            }
        }
    }

    @Test
    void shouldReportThePrimaryIpv4AddressNotASecondary() throws Exception {
        lab.inA(() -> addresses.addOrRenew(vip("192.0.2.206", 24, null), Optional.empty()));

        assertThat(lab.inA(() -> addresses.primaryIpv4Address("eth0")))
                .contains(RawVrrpSocketTest.ipv4(VethLab.ADDRESS_A));
    }

    @Test
    void shouldRefuseLabelThatDoesNotStartWithTheDeviceAndAddNothing() throws Exception {
        InterfaceAddress vip = vip("192.0.2.207", 24, "vip");

        assertThatThrownBy(() -> lab.inA(() -> addresses.addOrRenew(vip, Optional.empty())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("label vip of 192.0.2.207/24 dev eth0 label vip (expected the device name eth0");
        assertThat(ipShowsMaybe("192.0.2.207")).isNull();
    }

    @Test
    void shouldRefuseLifetimeShorterThanOneSecond() throws Exception {
        InterfaceAddress vip = vip("192.0.2.208", 24, null);

        assertThatThrownBy(() -> lab.inA(() -> addresses.addOrRenew(vip, Optional.of(Duration.ofMillis(900)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("valid lifetime PT0.9S of 192.0.2.208/24 dev eth0 (expected 1 s to 4294967294 s, or none for forever)");
    }

    @Test
    void shouldNameTheDeviceWhenItDoesNotExist() throws Exception {
        InterfaceAddress vip = new InterfaceAddress("nosuch0", InetAddress.getByName("192.0.2.209"), 24, Optional.empty());

        assertThatThrownBy(() -> lab.inA(() -> addresses.addOrRenew(vip, Optional.empty())))
                .isInstanceOf(IOException.class)
                .hasMessage("interface nosuch0: if_nametoindex failed: No such device (errno 19)"
                        + " — check the interface name (ip link show)");
    }

    /**
     * Not a check but a measurement for the safety argument: how long after being added with valid_lft 1, 2 and 3
     * the kernel really removes an address (polled every 10 ms). Printed to the test's output.
     */
    @Test
    void measureHowLongTheKernelKeepsAddressesPastTheirLifetime() throws Exception {
        Map<Integer, InterfaceAddress> byLifetime = new TreeMap<>();
        for (int seconds = 1; seconds <= 3; seconds++) {
            byLifetime.put(seconds, vip("192.0.2." + (210 + seconds), 24, null));
        }
        Map<Integer, Long> startNanos = new TreeMap<>();
        for (Map.Entry<Integer, InterfaceAddress> entry : byLifetime.entrySet()) {
            lab.inA(() -> addresses.addOrRenew(entry.getValue(), Optional.of(Duration.ofSeconds(entry.getKey()))));
            startNanos.put(entry.getKey(), System.nanoTime());
        }
        Map<Integer, Long> goneAfterMillis = new TreeMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (goneAfterMillis.size() < byLifetime.size() && System.nanoTime() < deadline) {
            List<InterfaceAddress> present = lab.inA(() -> addresses.list("eth0"));
            long now = System.nanoTime();
            for (Map.Entry<Integer, InterfaceAddress> entry : byLifetime.entrySet()) {
                if (!goneAfterMillis.containsKey(entry.getKey()) && !present.contains(entry.getValue())) {
                    goneAfterMillis.put(entry.getKey(), (now - startNanos.get(entry.getKey())) / 1_000_000);
                }
            }
            Thread.sleep(10);
        }
        goneAfterMillis.forEach((lifetime, millis) -> System.out.printf(
                "kernel lifetime granularity: valid_lft %d s -> address gone after %d ms (polled every 10 ms)%n",
                lifetime, millis));

        assertThat(goneAfterMillis).as("every address eventually removed by the kernel").hasSize(3);
    }

    private boolean waitUntilGone(InterfaceAddress address, Duration bound) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            if (!lab.inA(() -> addresses.list("eth0")).contains(address)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static InterfaceAddress vip(String address, int prefix, String label) throws IOException {
        return new InterfaceAddress("eth0", InetAddress.getByName(address), prefix, Optional.ofNullable(label));
    }

    private static JsonObject ipShows(String address) throws Exception {
        JsonObject shown = ipShowsMaybe(address);
        assertThat(shown).as("ip -j addr shows " + address).isNotNull();
        return shown;
    }

    private static JsonObject ipShowsMaybe(String address) throws Exception {
        JsonArray links = new JsonArray(VethLab.ip("-n", lab.nsA, "-j", "addr", "show", "dev", "eth0"));
        for (Object info : links.getJsonObject(0).getJsonArray("addr_info")) {
            JsonObject entry = (JsonObject) info;
            if (address.equals(entry.getString("local"))) {
                return entry;
            }
        }
        return null;
    }
}
