package io.quorumvip.vrrp;

import java.util.List;

/** The outputs of one step, in the order the agent must apply them. */
public record Outputs(List<VrrpOutput> items) {

    public static final Outputs NONE = new Outputs(List.of());

    public Outputs {
        items = List.copyOf(items);
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    public <T extends VrrpOutput> List<T> ofType(Class<T> type) {
        return items.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
