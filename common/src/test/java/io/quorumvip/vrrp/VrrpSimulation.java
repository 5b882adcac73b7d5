package io.quorumvip.vrrp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A tiny deterministic simulation of VRRP nodes on one lossless LAN: simulated time, one event queue ordered by
 * (time, insertion order), every advert delivered to every other node after the same fixed delay. Each node plays
 * the agent's part: it keeps one timer, as the outputs tell it, and feeds inputs to its state machine.
 *
 * <p>After every step it checks that the outputs told the truth about the timer and that the timer fits the state
 * (MASTER: Adver_Timer, BACKUP: Master_Down_Timer, otherwise none); breaches are collected in {@link #violations()}.
 */
final class VrrpSimulation {

    private final long deliveryDelayNanos;
    private final List<Node> nodes = new ArrayList<>();
    private final PriorityQueue<Event> queue = new PriorityQueue<>(
            Comparator.comparingLong(Event::atNanos).thenComparingLong(Event::order));
    private final List<String> violations = new ArrayList<>();
    private long nowNanos;
    private long nextOrder;

    VrrpSimulation(long deliveryDelayNanos) {
        this.deliveryDelayNanos = deliveryDelayNanos;
    }

    Node addNode(VrrpConfig config) {
        Node node = new Node(config);
        nodes.add(node);
        return node;
    }

    /** Schedules an input for a node, e.g. Startup, Shutdown or a fault. */
    void inject(Node node, VrrpInput input, long atNanos) {
        schedule(new Event(atNanos, nextOrder++, node, input, 0));
    }

    void runUntil(long endNanos) {
        while (!queue.isEmpty() && queue.peek().atNanos() <= endNanos) {
            Event event = queue.poll();
            nowNanos = event.atNanos();
            Node node = event.target();
            if (event.input() instanceof VrrpInput.TimerFired && !node.timerStillArmedBy(event.timerGeneration())) {
                continue;
            }
            node.apply(event.input());
        }
        nowNanos = endNanos;
    }

    List<Node> nodes() {
        return List.copyOf(nodes);
    }

    List<Node> masters() {
        return nodes.stream().filter(n -> n.machine().state() == VrrpState.MASTER).toList();
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    private void schedule(Event event) {
        if (event.atNanos() < nowNanos) {
            throw new IllegalArgumentException("event at " + event.atNanos() + " (expected >= now " + nowNanos + ")");
        }
        queue.add(event);
    }

    private record Event(long atNanos, long order, Node target, VrrpInput input, long timerGeneration) {
    }

    /** One simulated machine: the state machine plus the agent's single timer. */
    final class Node {

        private final VrrpStateMachine machine;
        private boolean timerArmed;
        private long timerDeadlineNanos;
        private long timerGeneration;

        private Node(VrrpConfig config) {
            this.machine = new VrrpStateMachine(config);
        }

        VrrpStateMachine machine() {
            return machine;
        }

        VrrpConfig config() {
            return machine.config();
        }

        private boolean timerStillArmedBy(long generation) {
            return timerArmed && generation == timerGeneration;
        }

        private void apply(VrrpInput input) {
            Outputs outputs = machine.step(input, nowNanos);
            for (VrrpOutput output : outputs.items()) {
                if (output instanceof VrrpOutput.SendAdvert send) {
                    broadcast(send.priority());
                } else if (output instanceof VrrpOutput.ArmTimer arm) {
                    timerArmed = true;
                    timerDeadlineNanos = arm.deadlineNanos();
                    timerGeneration++;
                    schedule(new Event(Math.max(nowNanos, arm.deadlineNanos()), nextOrder++, this,
                            new VrrpInput.TimerFired(), timerGeneration));
                } else if (output instanceof VrrpOutput.CancelTimer) {
                    timerArmed = false;
                    timerGeneration++;
                }
            }
            checkTimerMatchesState(input);
        }

        private void broadcast(int priority) {
            VrrpInput advert = new VrrpInput.AdvertReceived(
                    config().primaryAddress(), priority, config().advertIntervalCentis());
            for (Node other : nodes) {
                if (other != this) {
                    schedule(new Event(nowNanos + deliveryDelayNanos, nextOrder++, other, advert, 0));
                }
            }
        }

        private void checkTimerMatchesState(VrrpInput input) {
            VrrpState state = machine.state();
            VrrpTimer expected = switch (state) {
                case MASTER -> VrrpTimer.ADVER_TIMER;
                case BACKUP -> VrrpTimer.MASTER_DOWN_TIMER;
                case INITIALIZE, FAULT -> null;
            };
            String where = "node " + config().primaryAddress().getHostAddress() + " at " + nowNanos + " after "
                    + input + ": ";
            if (machine.armedTimer() != expected) {
                violations.add(where + "state " + state + " with timer " + machine.armedTimer()
                        + " (expected " + expected + ")");
            }
            boolean machineArmed = machine.timerDeadlineNanos().isPresent();
            if (machineArmed != timerArmed
                    || (timerArmed && machine.timerDeadlineNanos().getAsLong() != timerDeadlineNanos)) {
                violations.add(where + "outputs left the agent's timer at " + (timerArmed ? timerDeadlineNanos : "none")
                        + " but the machine holds " + machine.timerDeadlineNanos());
            }
        }
    }
}
