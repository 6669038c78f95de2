package com.acme.incentives.gateway.edge;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.MDC;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request a correlation id: the caller's, when well-formed, else a new UUID. It is logged with every line
 * (MDC key {@value #MDC_KEY}; Quarkus keeps the MDC on the request's Vert.x context), sent to the upstream service and
 * echoed to the caller, so one id ties the browser's call, the gateway's log and the service's log together.
 */
@ApplicationScoped
public class CorrelationIds {

    public static final String HEADER = "X-Correlation-Id";
    public static final String MDC_KEY = "correlationId";

    /** Anything else is replaced, so a caller cannot forge log lines or smuggle header syntax through it. */
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    void register(@Observes Filters filters) {
        filters.register(this::assign, FilterPriorities.CORRELATION_ID);
    }

    private void assign(RoutingContext ctx) {
        String id = acceptOrCreate(ctx.request().getHeader(HEADER));
        ctx.put(MDC_KEY, id);
        MDC.put(MDC_KEY, id);
        // At header-writing time, so neither an upstream answer nor an early refusal can drop or replace it.
        ctx.addHeadersEndHandler(v -> ctx.response().headers().set(HEADER, id));
        ctx.next();
    }

    public static String of(RoutingContext ctx) {
        return ctx.get(MDC_KEY);
    }

    static String acceptOrCreate(String candidate) {
        return candidate != null && ACCEPTED.matcher(candidate).matches() ? candidate : UUID.randomUUID().toString();
    }
}
