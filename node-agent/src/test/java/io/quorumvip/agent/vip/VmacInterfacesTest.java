package io.quorumvip.agent.vip;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class VmacInterfacesTest {

    @Test
    void shouldReplaceTheIgmpTableAndDropIgmpOutOfEachMacvlanInOneDocument() throws Exception {
        JsonNode document = new ObjectMapper().readTree(VmacInterfaces.igmpTable(List.of("vrrp.51", "vrrp.52")));

        JsonNode commands = document.path("nftables");
        assertThat(commands).hasSize(6);
        assertThat(commands.get(0).path("add").path("table").path("name").asText()).isEqualTo("qvip_vmac");
        assertThat(commands.get(1).has("delete")).isTrue();
        assertThat(commands.get(3).path("add").path("chain").path("hook").asText()).isEqualTo("output");
        for (int i = 0; i < 2; i++) {
            JsonNode expr = commands.get(4 + i).path("add").path("rule").path("expr");
            assertThat(expr.get(0).path("match").path("right").asText()).isEqualTo("vrrp.5" + (1 + i));
            assertThat(expr.get(1).path("match").path("right").asText()).isEqualTo("igmp");
            assertThat(expr.get(2).has("drop")).isTrue();
        }
    }
}
