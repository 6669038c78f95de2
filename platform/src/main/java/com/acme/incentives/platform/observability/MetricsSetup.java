package com.acme.incentives.platform.observability;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;

/**
 * What every service's metrics have in common (docs/observability.md): an {@code application} tag naming the service,
 * so one dashboard serves all of them, and latency histograms for HTTP requests with a fixed, short list of buckets,
 * so an operator can compute percentiles per route ({@code histogram_quantile}) across replicas without each route
 * costing the seventy-odd series of Micrometer's default buckets.
 */
@Singleton
public class MetricsSetup {

    /** Bucket bounds from 5 ms to 10 s: the range between a cached read and the upstream timeout. */
    static final double[] LATENCY_BUCKETS_NANOS = LongStream.of(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000,
            10_000).mapToDouble(millis -> Duration.ofMillis(millis).toNanos()).toArray();

    @Produces
    @Singleton
    MeterFilter applicationTag(@ConfigProperty(name = "quarkus.application.name") String application) {
        return MeterFilter.commonTags(List.of(Tag.of("application", application)));
    }

    @Produces
    @Singleton
    MeterFilter requestLatencyBuckets() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!"http.server.requests".equals(id.getName())) {
                    return config;
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(LATENCY_BUCKETS_NANOS).build()
                        .merge(config);
            }
        };
    }
}
