package com.acme.incentives.gateway.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped application.properties, as an operator overrides it with environment variables. */
class GatewayConfigTest {

    @Test
    void environmentVariablesOverrideServiceUrlsAndLimits() throws Exception {
        GatewayConfig config = load(Map.of(
                "GATEWAY_SERVICES_PAYOUT_URL", "http://payout-service:8080",
                "GATEWAY_RATE_LIMIT_REQUESTS_PER_SECOND", "5",
                "GATEWAY_UPSTREAM_TIMEOUT", "10s"));
        assertThat(config.services().get("payout").url()).isEqualTo("http://payout-service:8080");
        assertThat(config.services().get("identity").url()).isEqualTo("http://localhost:8101");
        assertThat(config.rateLimit().requestsPerSecond()).isEqualTo(5);
        assertThat(config.upstream().timeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void severalReplicasOfAServiceInOneVariable() throws Exception {
        GatewayConfig config = load(Map.of(
                "GATEWAY_SERVICES_IDENTITY_URL", "http://localhost:8101,http://localhost:8111",
                "GATEWAY_UPSTREAM_EJECT_FOR", "10s",
                "GATEWAY_RATE_LIMIT_REDIS_TIMEOUT", "20ms"));
        assertThat(config.services().get("identity").url()).isEqualTo("http://localhost:8101,http://localhost:8111");
        assertThat(config.upstream().ejectFor()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.rateLimit().redis().timeout()).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void shippedDefaults() throws Exception {
        GatewayConfig config = load(Map.of());
        assertThat(config.apiPrefix()).isEqualTo("/api/v1");
        assertThat(config.services()).containsOnlyKeys("identity", "eligibility", "enrollment", "payout");
        assertThat(config.services().get("eligibility").url()).isEqualTo("http://localhost:8102");
        assertThat(config.services().get("enrollment").url()).isEqualTo("http://localhost:8103");
        assertThat(config.services().get("identity").paths()).contains("/me(/locale|/email-preferences)?", "/organizations/[^/]+/users(/.*)?");
        assertThat(config.services().get("enrollment").paths()).contains("/organizations/[^/]+/audit-log");
        assertThat(config.services().get("payout").paths()).contains("/held-payments",
                "/payment-profiles/[^/]+/(approve|reject)", "/payment-profile-reviews");
        assertThat(config.upstream().timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.rateLimit().requestsPerSecond()).isEqualTo(50);
        assertThat(config.rateLimit().burst()).isEqualTo(100);
        assertThat(config.upstream().ejectFor()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.upstream().slowCall()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.rateLimit().redis().enabled()).isTrue();
        assertThat(config.rateLimit().redis().timeout()).isEqualTo(Duration.ofMillis(50));
        assertThat(config.rateLimit().redis().retryInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.rateLimit().redis().keyPrefix()).as("the instance's buckets").isEqualTo("run:ratelimit");
        assertThat(config.csrf().allowedOrigins()).isEmpty();
        assertThat(config.https()).isFalse();
    }

    private static GatewayConfig load(Map<String, String> environment) throws Exception {
        URL properties = GatewayConfigTest.class.getClassLoader().getResource("application.properties");
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                // Expressions (${incentives.instance}) are expanded whatever ran before in this JVM.
                .addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(properties, 250))
                .withSources(new EnvConfigSource(environment, 300))
                .withConverter(Duration.class, 200, new DurationConverter())
                .addDefaultInterceptors()
                .withMapping(GatewayConfig.class)
                .build();
        return config.getConfigMapping(GatewayConfig.class);
    }
}
