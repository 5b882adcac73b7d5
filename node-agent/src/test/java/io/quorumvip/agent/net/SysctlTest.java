package io.quorumvip.agent.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysctlTest {

    /** pid_max is at least 301 on every Linux kernel: more than one digit, the case a one-byte read got wrong. */
    @Test
    void readsEveryDigitOfANumericSysctl() throws IOException {
        assertThat(Sysctl.read(Path.of("/proc/sys/kernel/pid_max"))).isGreaterThanOrEqualTo(301);
    }

    @Test
    void aValueThatIsNoNumberNamesTheFileAndTheText(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("arp_ignore"), "two\n");
        assertThatThrownBy(() -> Sysctl.read(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("`two`");
    }
}
