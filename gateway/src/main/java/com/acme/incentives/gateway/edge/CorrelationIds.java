package com.acme.incentives.gateway.edge;

import com.acme.incentives.platform.correlation.CorrelationId;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Gives every request a correlation id, as the services do (platform-web's {@link CorrelationId}): the caller's, when
 * well-formed, else a new UUID. It is logged with every line (Quarkus keeps the MDC on the request's Vert.x context),
 * sent to the upstream service and echoed to the caller, so one id ties the browser's call, the gateway's log and the
 * service's log together.
 */
@ApplicationScoped
public class CorrelationIds {

    void register(@Observes Filters filters) {
        filters.register(this::assign, FilterPriorities.CORRELATION_ID);
    }

    private void assign(RoutingContext ctx) {
        String id = CorrelationId.acceptOrCreate(ctx.request().getHeader(CorrelationId.HEADER));
        ctx.put(CorrelationId.MDC_KEY, id);
        CorrelationId.set(id);
        // At header-writing time, so neither an upstream answer nor an early refusal can drop or replace it.
        ctx.addHeadersEndHandler(v -> ctx.response().headers().set(CorrelationId.HEADER, id));
        ctx.next();
    }

    public static String of(RoutingContext ctx) {
        return ctx.get(CorrelationId.MDC_KEY);
    }
}
