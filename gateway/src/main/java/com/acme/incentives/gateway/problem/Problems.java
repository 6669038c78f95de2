package com.acme.incentives.gateway.problem;

import com.acme.incentives.gateway.edge.CorrelationIds;
import com.acme.incentives.platform.i18n.Languages;
import com.acme.incentives.platform.problem.ProblemType;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;

/**
 * Writes RFC 9457 problem responses in the shape every service of the platform uses, in the language the request's
 * {@code Accept-Language} asks for (English, Japanese or Korean), said in {@code Content-Language}.
 */
public final class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";

    private Problems() {
    }

    public static void send(RoutingContext ctx, ProblemType type, GatewayMessages detail, Object... args) {
        send(ctx, type, detail.with(args));
    }

    public static void send(RoutingContext ctx, ProblemType type, GatewayMessages.Text detail) {
        HttpServerResponse response = ctx.response();
        if (response.ended()) {
            return;
        }
        if (response.headWritten()) {
            // A streamed upstream answer is already on its way; a clean end would pass a truncated body off as whole.
            response.reset();
            return;
        }
        Locale language = Languages.best(ctx.request().getHeader(Languages.ACCEPT_LANGUAGE));
        JsonObject body = new JsonObject()
                .put("type", type.uri())
                .put("title", type.title(language))
                .put("status", type.status())
                .put("detail", detail.in(language))
                .put("instance", ctx.request().path())
                .put("correlationId", CorrelationIds.of(ctx));
        // An unread request body would stall the connection (the request may be paused for streaming): drop it.
        if (!ctx.request().isEnded()) {
            ctx.request().resume();
        }
        response.setStatusCode(type.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, MEDIA_TYPE)
                .putHeader(Languages.CONTENT_LANGUAGE, language.toLanguageTag())
                .putHeader(HttpHeaders.VARY, Languages.ACCEPT_LANGUAGE)
                .end(body.encode());
    }
}
