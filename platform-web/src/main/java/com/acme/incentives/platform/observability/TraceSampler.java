package com.acme.incentives.platform.observability;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;

/**
 * Which spans are recorded (Quarkus uses a {@code Sampler} bean in place of {@code quarkus.otel.traces.sampler}).
 * Parent-based with the ratio {@code quarkus.otel.traces.sampler.arg} (1.0: every trace), except that a trace starts
 * only where work enters the system: a request ({@code SERVER}), a consumed event ({@code CONSUMER}) or an event
 * published by the outbox relay ({@code PRODUCER}, for events written outside any trace, such as by a scheduled job).
 * Any other span outside a trace is dropped: those are the SQL statements and connection fetches of background work
 * (the outbox relay's poll every second, Flyway, housekeeping) and the OIDC key fetches, each of which would otherwise
 * be a trace of its own. SQL inside a request or a consumed event is still recorded, as a child of its span.
 */
@Singleton
public class TraceSampler implements Sampler {

    private final Sampler delegate;

    TraceSampler(@ConfigProperty(name = "quarkus.otel.traces.sampler.arg", defaultValue = "1.0") double ratio) {
        this.delegate = Sampler.parentBased(Sampler.traceIdRatioBased(ratio));
    }

    @Override
    public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
            Attributes attributes, List<LinkData> parentLinks) {
        boolean entryPoint = spanKind == SpanKind.SERVER || spanKind == SpanKind.CONSUMER
                || spanKind == SpanKind.PRODUCER;
        if (!entryPoint && !Span.fromContext(parentContext).getSpanContext().isValid()) {
            return SamplingResult.drop();
        }
        return delegate.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
    }

    @Override
    public String getDescription() {
        return "EntryPointsOnly{" + delegate.getDescription() + "}";
    }
}
