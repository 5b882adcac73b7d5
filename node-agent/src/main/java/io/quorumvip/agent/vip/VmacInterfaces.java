package io.quorumvip.agent.vip;

import io.quorumvip.agent.net.MacAddress;
import io.quorumvip.agent.net.MacvlanManager;
import io.quorumvip.agent.nft.Libnftables;
import io.quorumvip.agent.nft.NftablesException;
import io.quorumvip.instance.InterfacePlan;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The macvlans of every instance with {@code use_vmac}: made (or adopted, when a killed run left them) before the
 * instances start, so addresses and adverts have their interface from the first step, and removed on a clean stop
 * after the priority-0 adverts went out, as keepalived does. Each is logged with what it is for.
 *
 * <p>Every node's macvlan joins 224.0.0.18 to hear a peer's virtual-MAC adverts, and Linux then sends IGMP reports
 * from the virtual MAC: a backup's would teach the switch the master's MAC at the backup's port. As keepalived
 * does, an nftables table ({@value #TABLE}) drops IGMP leaving the macvlans; it is made before any socket joins
 * and removed after every socket left.
 */
public final class VmacInterfaces implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VmacInterfaces.class);
    static final String TABLE = "qvip_vmac";

    private final MacvlanManager manager;
    private final Map<String, InterfacePlan> byInstance;
    private final List<String> made = new ArrayList<>();
    private final Map<String, MacvlanManager.ArpSettings> baseSettings = new LinkedHashMap<>();

    private VmacInterfaces(MacvlanManager manager, Map<String, InterfacePlan> byInstance) {
        this.manager = manager;
        this.byInstance = byInstance;
    }

    /** @param byInstance each instance's interface plan, by instance name; those without a macvlan are skipped */
    public static VmacInterfaces open(Map<String, InterfacePlan> byInstance) throws IOException {
        Map<String, InterfacePlan> withVmac = new LinkedHashMap<>();
        byInstance.forEach((instance, plan) -> {
            if (plan.vmac().isPresent()) {
                withVmac.put(instance, plan);
            }
        });
        return new VmacInterfaces(MacvlanManager.open(), withVmac);
    }

    /** @throws IOException naming the instance and the macvlan when one cannot be made */
    public void create() throws IOException {
        for (Map.Entry<String, InterfacePlan> entry : byInstance.entrySet()) {
            InterfacePlan plan = entry.getValue();
            InterfacePlan.Vmac vmac = plan.vmac().orElseThrow();
            String base = plan.baseInterface();
            try {
                if (!baseSettings.containsKey(base)) {
                    baseSettings.put(base, manager.prepareBase(base));
                }
                MacvlanManager.Outcome outcome = manager.ensure(vmac.name(), base, new MacAddress(vmac.macBytes()));
                made.add(vmac.name());
                log.atInfo().setMessage("VMAC interface " + outcome.name().toLowerCase())
                        .addKeyValue("instance", entry.getKey()).addKeyValue("interface", vmac.name())
                        .addKeyValue("mac", vmac.mac()).addKeyValue("base", base)
                        .addKeyValue("plan", plan.describe()).log();
            } catch (IOException e) {
                throw new IOException("vrrp_instance " + entry.getKey() + ": use_vmac " + vmac.name() + " on "
                        + base + ": " + e.getMessage(), e);
            }
        }
        if (!made.isEmpty()) {
            blockIgmp();
        }
    }

    /** The table that drops IGMP out of the macvlans; one left by a killed run is replaced in the same step. */
    static String igmpTable(List<String> macvlans) {
        StringBuilder json = new StringBuilder("{\"nftables\":[")
                .append("{\"add\":{\"table\":{\"family\":\"ip\",\"name\":\"" + TABLE + "\"}}},")
                .append("{\"delete\":{\"table\":{\"family\":\"ip\",\"name\":\"" + TABLE + "\"}}},")
                .append("{\"add\":{\"table\":{\"family\":\"ip\",\"name\":\"" + TABLE + "\"}}},")
                .append("{\"add\":{\"chain\":{\"family\":\"ip\",\"table\":\"" + TABLE + "\",\"name\":\"out\",")
                .append("\"type\":\"filter\",\"hook\":\"output\",\"prio\":0,\"policy\":\"accept\"}}}");
        for (String macvlan : macvlans) {
            json.append(",{\"add\":{\"rule\":{\"family\":\"ip\",\"table\":\"" + TABLE + "\",\"chain\":\"out\",")
                    .append("\"expr\":[{\"match\":{\"op\":\"==\",\"left\":{\"meta\":{\"key\":\"oifname\"}},")
                    .append("\"right\":\"" + macvlan + "\"}},")
                    .append("{\"match\":{\"op\":\"==\",\"left\":{\"payload\":{\"protocol\":\"ip\",")
                    .append("\"field\":\"protocol\"}},\"right\":\"igmp\"}},{\"drop\":null}]}}}");
        }
        return json.append("]}").toString();
    }

    private void blockIgmp() {
        try (Libnftables nft = Libnftables.open()) {
            nft.run(igmpTable(made));
            log.atInfo().setMessage("IGMP out of the VMAC interfaces dropped").addKeyValue("table", "ip " + TABLE)
                    .addKeyValue("interfaces", made).log();
        } catch (NftablesException e) {
            log.atWarn().setMessage("IGMP out of the VMAC interfaces not blocked: a backup's reports will teach the"
                    + " switch the virtual MAC at its port until the master's next advert")
                    .addKeyValue("error", e.getMessage()).log();
        }
    }

    private static void unblockIgmp() {
        try (Libnftables nft = Libnftables.open()) {
            nft.run("{\"nftables\":[{\"delete\":{\"table\":{\"family\":\"ip\",\"name\":\"" + TABLE + "\"}}}]}");
        } catch (NftablesException e) {
            log.atWarn().setMessage("could not remove the nftables table").addKeyValue("table", "ip " + TABLE)
                    .addKeyValue("error", e.getMessage()).log();
        }
    }

    /** Removes the macvlans made or adopted and gives the base interfaces their ARP settings back. */
    @Override
    public void close() {
        // The table goes last: a closed socket's leave report is repeated a moment later, from the macvlan.
        boolean blocked = !made.isEmpty();
        for (String name : made) {
            try {
                if (manager.remove(name)) {
                    log.atInfo().setMessage("VMAC interface removed").addKeyValue("interface", name).log();
                }
            } catch (IOException e) {
                log.atError().setMessage("could not remove VMAC interface").addKeyValue("interface", name)
                        .addKeyValue("error", e.getMessage()).log();
            }
        }
        made.clear();
        if (blocked) {
            unblockIgmp();
        }
        baseSettings.forEach((base, settings) -> {
            try {
                manager.restoreBase(base, settings);
            } catch (IOException e) {
                log.atError().setMessage("could not restore arp_ignore / arp_filter").addKeyValue("interface", base)
                        .addKeyValue("error", e.getMessage()).log();
            }
        });
        baseSettings.clear();
        manager.close();
    }
}
