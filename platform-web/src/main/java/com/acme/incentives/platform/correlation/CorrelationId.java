package com.acme.incentives.platform.correlation;

import org.jboss.logging.MDC;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The correlation id ties one business request together across the gateway, every service it reaches over HTTP and
 * every Kafka event it causes. It lives in the logging MDC (Quarkus keeps the MDC on the Vert.x duplicated context, so
 * it follows a request onto worker threads) and travels as the {@value #HEADER} HTTP header and the
 * {@value #KAFKA_HEADER} record header.
 */
public final class CorrelationId {

    public static final String HEADER = "X-Correlation-Id";
    public static final String KAFKA_HEADER = "correlation-id";
    public static final String MDC_KEY = "correlationId";

    /** What we accept from a caller; anything else is replaced, so log lines cannot be forged through it. */
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    private CorrelationId() {
    }

    public static String current() {
        Object value = MDC.get(MDC_KEY);
        return value == null ? null : value.toString();
    }

    /** The caller's id if it is well-formed, else a new one. */
    public static String acceptOrCreate(String candidate) {
        return candidate != null && ACCEPTED.matcher(candidate).matches() ? candidate : UUID.randomUUID().toString();
    }

    public static void set(String correlationId) {
        if (correlationId == null) {
            MDC.remove(MDC_KEY);
        } else {
            MDC.put(MDC_KEY, correlationId);
        }
    }
}
