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
import java.util.Set;
import java.util.stream.LongStream;

/**
 * What the metrics of every service and of the gateway have in common (docs/observability.md): an {@code application}
 * tag naming the process, so one dashboard serves all of them, and latency histograms with a fixed, short list of
 * buckets for the timers named by {@code platform.metrics.latency-histograms} (HTTP requests served; the gateway adds
 * the calls it relays), so an operator can compute percentiles per route ({@code histogram_quantile}) across replicas
 * without each route costing the seventy-odd series of Micrometer's default buckets.
 */
@Singleton
public class MetricsSetup {

    /** Bucket bounds from 5 ms to 30 s: the range between a cached read and the gateway's upstream timeout. */
    static final double[] LATENCY_BUCKETS_NANOS = LongStream.of(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000,
            10_000, 30_000).mapToDouble(millis -> Duration.ofMillis(millis).toNanos()).toArray();

    @Produces
    @Singleton
    MeterFilter applicationTag(@ConfigProperty(name = "quarkus.application.name") String application) {
        return MeterFilter.commonTags(List.of(Tag.of("application", application)));
    }

    @Produces
    @Singleton
    MeterFilter requestLatencyBuckets(@ConfigProperty(name = "platform.metrics.latency-histograms",
            defaultValue = "http.server.requests") Set<String> timers) {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!timers.contains(id.getName())) {
                    return config;
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(LATENCY_BUCKETS_NANOS).build()
                        .merge(config);
            }
        };
    }
}
