package io.quorumvip.ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class OwnershipRuleTest {

    private static final long NOW = 1_000_000_000L;

    private static OwnershipInputs master(boolean quorum, boolean leaseHeld, long validUntil) {
        return new OwnershipInputs(RoleInput.MASTER, false, quorum, leaseHeld, validUntil, NOW);
    }

    @Test
    void shouldOwnWhenMasterWithLeaseValidAfterNow() {
        assertThat(OwnershipRule.decide(master(true, true, NOW + 1)))
                .isEqualTo(new OwnershipDecision(true, OwnershipReason.OWN));
    }

    @Test
    void shouldNotOwnWhenLeaseEndsExactlyNow() {
        assertThat(OwnershipRule.decide(master(true, true, NOW)))
                .isEqualTo(new OwnershipDecision(false, OwnershipReason.LEASE_EXPIRED));
    }

    @Test
    void shouldNotOwnWhenLeaseEndedBeforeNow() {
        assertThat(OwnershipRule.decide(master(true, true, NOW - 1)).reason()).isEqualTo(OwnershipReason.LEASE_EXPIRED);
    }

    @Test
    void shouldNotOwnWithoutLeaseWhenQuorumConfigured() {
        assertThat(OwnershipRule.decide(master(true, false, NOW + 5)))
                .isEqualTo(new OwnershipDecision(false, OwnershipReason.NO_LEASE));
    }

    @Test
    void shouldOwnWithoutQuorumWhenNoneConfigured() {
        assertThat(OwnershipRule.decide(master(false, false, 0)))
                .isEqualTo(new OwnershipDecision(true, OwnershipReason.OWN_WITHOUT_QUORUM));
    }

    @Test
    void shouldNotOwnAsBackupEvenWithValidLease() {
        var inputs = new OwnershipInputs(RoleInput.BACKUP, false, true, true, NOW + 10, NOW);
        assertThat(OwnershipRule.decide(inputs)).isEqualTo(new OwnershipDecision(false, OwnershipReason.NOT_MASTER));
    }

    @Test
    void shouldNotOwnWhileInitializing() {
        var inputs = new OwnershipInputs(RoleInput.INITIALIZE, false, false, false, 0, NOW);
        assertThat(OwnershipRule.decide(inputs).reason()).isEqualTo(OwnershipReason.NOT_MASTER);
    }

    @Test
    void shouldNotOwnWhenFaultFlagSetEvenAsMasterWithLease() {
        var inputs = new OwnershipInputs(RoleInput.MASTER, true, true, true, NOW + 10, NOW);
        assertThat(OwnershipRule.decide(inputs)).isEqualTo(new OwnershipDecision(false, OwnershipReason.FAULT));
    }

    @Test
    void shouldNotOwnInFaultRole() {
        var inputs = new OwnershipInputs(RoleInput.FAULT, false, false, false, 0, NOW);
        assertThat(OwnershipRule.decide(inputs).reason()).isEqualTo(OwnershipReason.FAULT);
    }

    @Test
    void shouldCompareLeaseAcrossNanoTimeWrap() {
        var inputs = new OwnershipInputs(RoleInput.MASTER, false, true, true, Long.MIN_VALUE + 5, Long.MAX_VALUE - 5);
        assertThat(OwnershipRule.decide(inputs).reason()).isEqualTo(OwnershipReason.OWN);
    }

    @Test
    void shouldRejectDecisionWhoseFlagContradictsItsReason() {
        assertThatThrownBy(() -> new OwnershipDecision(true, OwnershipReason.NO_LEASE))
                .hasMessageContaining("contradicts reason NO_LEASE");
    }

    @Property
    void shouldNeverOwnUnlessMasterAndNotFault(@ForAll RoleInput role, @ForAll boolean fault, @ForAll boolean quorum,
            @ForAll boolean held, @ForAll long validUntil, @ForAll long now) {
        var decision = OwnershipRule.decide(new OwnershipInputs(role, fault, quorum, held, validUntil, now));
        if (decision.own()) {
            assertThat(role).isEqualTo(RoleInput.MASTER);
            assertThat(fault).isFalse();
            assertThat(!quorum || (held && now - validUntil < 0)).isTrue();
        }
    }

    @Property
    void shouldRoundTripEnumCodes(@ForAll RoleInput role, @ForAll OwnershipReason reason) {
        assertThat(RoleInput.valueOf(role.byteValue())).isEqualTo(role);
        assertThat(OwnershipReason.valueOf(reason.byteValue())).isEqualTo(reason);
    }
}
