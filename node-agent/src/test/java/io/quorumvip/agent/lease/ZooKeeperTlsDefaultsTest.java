package io.quorumvip.agent.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.Security;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;

class ZooKeeperTlsDefaultsTest {

    private static List<String> providerNames() {
        return Arrays.stream(Security.getProviders()).map(provider -> provider.getName()).toList();
    }

    @Test
    void shouldPutTheTlsProviderBackInItsPlaceAndLeaveTlsWorking() throws Exception {
        List<String> before = providerNames();

        ZooKeeperTlsDefaults.initialize();
        ZooKeeperTlsDefaults.initialize();

        assertThat(providerNames()).isEqualTo(before).contains(ZooKeeperTlsDefaults.TLS_PROVIDER);
        assertThat(SSLContext.getDefault().getProvider().getName()).isEqualTo(ZooKeeperTlsDefaults.TLS_PROVIDER);
        assertThat(SSLContext.getDefault().getSupportedSSLParameters().getProtocols()).contains("TLSv1.2");
        assertThat(((SSLSocketFactory) SSLSocketFactory.getDefault()).getSupportedCipherSuites()).isNotEmpty();
        assertThat(((SSLServerSocketFactory) SSLServerSocketFactory.getDefault()).getSupportedCipherSuites())
                .isNotEmpty();
    }

    @Test
    void shouldLeaveZooKeepersTlsUtilityInitialized() throws Exception {
        ZooKeeperTlsDefaults.initialize();

        Class<?> x509Util = Class.forName(ZooKeeperTlsDefaults.X509_UTIL, false, getClass().getClassLoader());
        assertThat(x509Util.getField("DEFAULT_PROTOCOL").get(null)).isIn("TLSv1.2", "TLSv1.3");
    }
}
