package com.acme.incentives.gateway.observability;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;

/**
 * The services' metric conventions (platform MetricsSetup, restated here since the gateway does not depend on the
 * platform module): an {@code application} tag, and latency histograms with a short fixed list of buckets for the
 * requests the gateway serves and those it relays, so percentiles can be computed per route and per service.
 */
@Singleton
public class MetricsSetup {

    private static final Set<String> LATENCIES = Set.of("http.server.requests", "gateway.upstream.requests");
    private static final double[] BUCKETS_NANOS = LongStream.of(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000,
            10_000, 30_000).mapToDouble(millis -> Duration.ofMillis(millis).toNanos()).toArray();

    @Produces
    @Singleton
    MeterFilter applicationTag(@ConfigProperty(name = "quarkus.application.name") String application) {
        return MeterFilter.commonTags(List.of(Tag.of("application", application)));
    }

    @Produces
    @Singleton
    MeterFilter latencyBuckets() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!LATENCIES.contains(id.getName())) {
                    return config;
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(BUCKETS_NANOS).build()
                        .merge(config);
            }
        };
    }
}
