package io.quorumvip.config;

import static io.quorumvip.config.ConfigFixture.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** quorum-vip's {@code rise N}: off (keepalived's one success) unless written, inherited like every timing keyword. */
class CheckerRiseConfigTest {

    @TempDir
    Path dir;

    @Test
    void shouldKeepKeepalivedsOneSuccessUnlessRiseIsWritten() {
        ParseResult result = parse(dir, """
                virtual_server 192.0.2.210 80 {
                  lb_algo rr
                  real_server 192.0.2.51 80 {
                    TCP_CHECK {
                    }
                  }
                }
                """);

        assertThat(result.errors()).isEmpty();
        assertThat(result.config().loadBalancing().virtualServers().get(0).realServers().get(0).checkers().get(0)
                .timing().rise()).isEqualTo(1);
    }

    @Test
    void shouldLetTheCheckerOverrideTheRiseItsVirtualServerSets() {
        ParseResult result = parse(dir, """
                virtual_server 192.0.2.210 80 {
                  lb_algo rr
                  rise 3
                  real_server 192.0.2.51 80 {
                    TCP_CHECK {
                    }
                    HTTP_GET {
                      rise 5
                      url {
                        path /
                      }
                    }
                  }
                }
                """);

        assertThat(result.errors()).isEmpty();
        assertThat(result.config().loadBalancing().virtualServers().get(0).realServers().get(0).checkers())
                .extracting(c -> c.timing().rise()).containsExactly(3, 5);
    }

    @Test
    void shouldReportARiseOfZeroAtItsLineWithTheRange() {
        ParseResult result = parse(dir, "virtual_server 192.0.2.210 80 {\nlb_algo rr\nreal_server 192.0.2.51 80 {\n"
                + "TCP_CHECK {\nrise 0\n}\n}\n}\n");

        assertThat(result.errors()).extracting(Finding::line, Finding::message)
                .containsExactly(tuple(5, "rise 0 is out of range (expected 1..1000000)"));
    }
}
