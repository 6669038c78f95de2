package com.acme.incentives.gateway.problem;

import com.acme.incentives.gateway.edge.CorrelationIds;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writes RFC 9457 problem responses in the shape every service of the platform uses. */
public final class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";

    private Problems() {
    }

    public static void send(RoutingContext ctx, ProblemType type, String detail) {
        HttpServerResponse response = ctx.response();
        if (response.ended()) {
            return;
        }
        if (response.headWritten()) {
            // A streamed upstream answer is already on its way; a clean end would pass a truncated body off as whole.
            response.reset();
            return;
        }
        JsonObject body = new JsonObject()
                .put("type", type.uri())
                .put("title", type.title())
                .put("status", type.status())
                .put("detail", detail)
                .put("instance", ctx.request().path())
                .put("correlationId", CorrelationIds.of(ctx));
        // An unread request body would stall the connection (the request may be paused for streaming): drop it.
        if (!ctx.request().isEnded()) {
            ctx.request().resume();
        }
        response.setStatusCode(type.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, MEDIA_TYPE)
                .end(body.encode());
    }
}
