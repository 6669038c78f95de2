package com.acme.incentives.eligibility.observability;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Keeps the spans this service finishes during the tests in memory, so a test can look at the trace a request or an
 * event produced. Quarkus exports spans to every {@code SpanExporter} bean; the test profile has no OTLP exporter.
 */
@ApplicationScoped
public class InMemorySpans {

    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}
