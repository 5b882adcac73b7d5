package io.quorumvip.lab;

/**
 * Builds a lab and exits without closing it, as an aborted test run would: the lab's shutdown hook must remove it.
 * Prints the lab's name and the PID of a process it started, so the test can look for leftovers.
 */
public final class AbandonedLabMain {

    private AbandonedLabMain() {
    }

    public static void main(String[] args) {
        Lab lab = Lab.up(1);
        LabProcess probe = lab.node(1).startJava("probe", JavaMain.of(NamespaceProbeMain.class.getName()));
        System.out.println(lab.name() + " " + probe.pid());
        System.out.flush();
        System.exit(0);
    }
}
