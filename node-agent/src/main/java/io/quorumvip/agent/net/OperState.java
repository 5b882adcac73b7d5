package io.quorumvip.agent.net;

/** RFC 2863 operational state of an interface, as the kernel reports it in IFLA_OPERSTATE (linux/if.h). */
public enum OperState {
    UNKNOWN, NOT_PRESENT, DOWN, LOWER_LAYER_DOWN, TESTING, DORMANT, UP;

    static OperState valueOf(int code) {
        OperState[] all = values();
        if (code < 0 || code >= all.length) {
            throw new IllegalArgumentException("operstate " + code + " (expected 0.." + (all.length - 1) + ")");
        }
        return all[code];
    }
}
