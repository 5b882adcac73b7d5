package io.quorumvip.track;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.track.ProcessPattern.ParamMatch;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessTrackingTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldMatchTheProcessNameExactlyNotAsAPattern() {
        ProcessPattern ssh = new ProcessPattern("ssh", List.of(), ParamMatch.NONE, false);

        assertThat(ssh.matches("ssh", List.of("/usr/bin/ssh", "host"))).isTrue();
        assertThat(ssh.matches("sshd", List.of("/usr/sbin/sshd"))).isFalse();
    }

    @Test
    void shouldMatchTheFirstWordOfTheCommandLineWithFullCommand() {
        ProcessPattern nginx = new ProcessPattern("/usr/sbin/nginx", List.of(), ParamMatch.NONE, true);

        assertThat(nginx.matches("nginx", List.of("/usr/sbin/nginx", "-g", "daemon off;"))).isTrue();
        assertThat(nginx.matches("nginx", List.of("nginx"))).isFalse();
        assertThat(nginx.matches("kthreadd", List.of())).isFalse();
    }

    @Test
    void shouldCompareParametersExactlyPartiallyOrByTheirStart() {
        List<String> argv = List.of("haproxy", "-f", "/etc/haproxy/haproxy.cfg", "-Ws");

        assertThat(new ProcessPattern("haproxy", List.of("-f", "/etc/haproxy/haproxy.cfg"), ParamMatch.EXACT, false)
                .matches("haproxy", argv)).isFalse();
        assertThat(new ProcessPattern("haproxy", List.of("-f", "/etc/haproxy/haproxy.cfg"), ParamMatch.PARTIAL,
                false).matches("haproxy", argv)).isTrue();
        assertThat(new ProcessPattern("haproxy", List.of("-f", "/etc/haproxy/"), ParamMatch.INITIAL, false)
                .matches("haproxy", argv)).isTrue();
        assertThat(new ProcessPattern("haproxy", List.of(), ParamMatch.EXACT, false).matches("haproxy", argv))
                .isFalse();
    }

    @Test
    void shouldBeUpBetweenQuorumAndQuorumMax() {
        assertThat(ProcessQuorum.satisfied(0, 1, ProcessQuorum.NO_MAXIMUM)).isFalse();
        assertThat(ProcessQuorum.satisfied(7, 1, ProcessQuorum.NO_MAXIMUM)).isTrue();
        assertThat(ProcessQuorum.satisfied(2, 1, 1)).isFalse();
        assertThat(ProcessQuorum.satisfied(0, 0, 0)).isTrue();
    }

    @Test
    void shouldGoDownOnlyAfterTheTerminateDelayAndUpAfterTheForkDelay() {
        ProcessQuorum verdict = ProcessQuorum.initial(1, 1, ProcessQuorum.NO_MAXIMUM);

        verdict = verdict.next(0, 1, ProcessQuorum.NO_MAXIMUM, SECOND, 2 * SECOND, 10 * SECOND);
        assertThat(verdict.up()).isTrue();
        verdict = verdict.next(0, 1, ProcessQuorum.NO_MAXIMUM, SECOND, 2 * SECOND, 11 * SECOND);
        assertThat(verdict.up()).isTrue();
        verdict = verdict.next(0, 1, ProcessQuorum.NO_MAXIMUM, SECOND, 2 * SECOND, 12 * SECOND);
        assertThat(verdict.up()).isFalse();

        verdict = verdict.next(1, 1, ProcessQuorum.NO_MAXIMUM, SECOND, 2 * SECOND, 13 * SECOND);
        assertThat(verdict.up()).isFalse();
        verdict = verdict.next(1, 1, ProcessQuorum.NO_MAXIMUM, SECOND, 2 * SECOND, 14 * SECOND);
        assertThat(verdict.up()).isTrue();
    }

    @Test
    void shouldForgetAPendingChangeWhenTheCountComesBackInTime() {
        ProcessQuorum verdict = ProcessQuorum.initial(1, 1, ProcessQuorum.NO_MAXIMUM)
                .next(0, 1, ProcessQuorum.NO_MAXIMUM, 0, 2 * SECOND, 0)
                .next(1, 1, ProcessQuorum.NO_MAXIMUM, 0, 2 * SECOND, SECOND)
                .next(0, 1, ProcessQuorum.NO_MAXIMUM, 0, 2 * SECOND, 2 * SECOND);

        assertThat(verdict.up()).isTrue();
        assertThat(verdict.next(0, 1, ProcessQuorum.NO_MAXIMUM, 0, 2 * SECOND, 3 * SECOND).up()).isTrue();
        assertThat(verdict.next(0, 1, ProcessQuorum.NO_MAXIMUM, 0, 2 * SECOND, 4 * SECOND).up()).isFalse();
    }
}
