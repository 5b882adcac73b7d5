package io.quorumvip.agent.lb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.quorumvip.agent.http.AgentStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class LvsCommandTest {

    @Test
    void shouldPrintThePoolLikeIpvsadmWithTheCheckStateInsteadOfConnectionCounts() throws Exception {
        VirtualServerStatus vs = new VirtualServerStatus("192.0.2.210:80/tcp", "wlc", "wrr", "DR", true, 1, false, 4,
                false, List.of(
                new VirtualServerStatus.RealServerStatus("192.0.2.51", 80, 1, "down", false, "connect refused", 0.3,
                        1L, List.of("TCP_CHECK")),
                new VirtualServerStatus.RealServerStatus("192.0.2.52", 80, 1, "up", true, "connected", 0.42, 1L,
                        List.of("TCP_CHECK"))));
        ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        String body = json.writeValueAsString(new AgentStatus("director1", "disabled", List.of())
                .withVirtualServers(List.of(vs)));

        String table = LvsCommand.render(json.readTree(body));

        assertThat(table).isEqualTo("""
                IP Virtual Server (quorum-vip on nftables, node director1)
                Prot LocalAddress:Port Scheduler Flags
                  -> RemoteAddress:Port           Forward Weight State LastCheck
                TCP  192.0.2.210:80 wlc (runs as wrr)  generation 4
                  -> 192.0.2.51:80                Route   1      down* connect refused (0.3 ms)
                  -> 192.0.2.52:80                Route   1      up    connected (0.4 ms)
                (* not in the pool: no new connections)
                """);
    }
}
