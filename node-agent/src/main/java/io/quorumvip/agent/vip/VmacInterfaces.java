package io.quorumvip.agent.vip;

import io.quorumvip.agent.net.MacAddress;
import io.quorumvip.agent.net.MacvlanManager;
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
 */
public final class VmacInterfaces implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VmacInterfaces.class);

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
    }

    /** Removes the macvlans made or adopted and gives the base interfaces their ARP settings back. */
    @Override
    public void close() {
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
