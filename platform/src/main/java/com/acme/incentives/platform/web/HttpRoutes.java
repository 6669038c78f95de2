package com.acme.incentives.platform.web;

import java.util.Locale;
import com.acme.incentives.platform.i18n.Languages;
import com.acme.incentives.platform.i18n.Messages;
import com.acme.incentives.platform.i18n.MessageKey;
import com.acme.incentives.platform.i18n.PlatformMessages;
import com.acme.incentives.platform.correlation.CorrelationId;
import com.acme.incentives.platform.problem.Problem;
import com.acme.incentives.platform.problem.ProblemType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import io.quarkus.runtime.configuration.MemorySize;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;

/**
 * What every service does at the HTTP layer before and after JAX-RS: take or make the correlation id, and answer in
 * problem+json for everything JAX-RS never sees (no route at all, a body over the size limit, a failure in a Vert.x
 * handler).
 */
@ApplicationScoped
public class HttpRoutes {

    private static final Logger LOG = Logger.getLogger(HttpRoutes.class);

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
    MemorySize maxBodySize;

    /** The longest request URI a service accepts (the gateway applies the same limit). */
    public static final int MAX_URI_LENGTH = 8192;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::correlate);
        router.route().order(Integer.MIN_VALUE).failureHandler(this::failure);
        router.route().last().handler(ctx -> write(ctx, ProblemType.NOT_FOUND, PlatformMessages.NO_RESOURCE));
    }

    private void correlate(RoutingContext ctx) {
        String id = CorrelationId.acceptOrCreate(ctx.request().getHeader(CorrelationId.HEADER));
        CorrelationId.set(id);
        ctx.put(CorrelationId.MDC_KEY, id);
        ctx.response().putHeader(CorrelationId.HEADER, id);
        // The HTTP codec accepts request lines up to quarkus.http.limits.max-initial-line-length (16 KB) and answers a
        // longer one with a bare 414; below that, a URI longer than any of ours is refused here in the problem shape.
        String uri = ctx.request().uri();
        if (uri.length() > MAX_URI_LENGTH) {
            write(ctx, ProblemType.URI_TOO_LONG, PlatformMessages.URI_TOO_LONG, uri.length(), MAX_URI_LENGTH);
            return;
        }
        // A NUL can only arrive percent-encoded; no identifier or filter of ours contains one, and PostgreSQL cannot
        // store it in text, so refuse it at the door rather than fail deep inside.
        if (uri.contains("%00")) {
            write(ctx, ProblemType.MALFORMED_REQUEST, PlatformMessages.URI_NUL);
            return;
        }
        // Refuse a declared oversized body before reading it, in the problem shape (the HTTP layer's own 413 has
        // no body at all).
        String length = ctx.request().getHeader("Content-Length");
        if (length != null && isLarger(length, maxBodySize.asLongValue())) {
            write(ctx, ProblemType.PAYLOAD_TOO_LARGE, PlatformMessages.BODY_TOO_LARGE_FOR_SERVICE,
                    maxBodySize.asLongValue());
            return;
        }
        // A body without a Content-Type would be read as whatever the operation expects: refuse it instead, so what a
        // service reads is always what the client said it sent.
        if (hasBody(length, ctx.request().getHeader("Transfer-Encoding"))
                && ctx.request().getHeader("Content-Type") == null) {
            write(ctx, ProblemType.UNSUPPORTED_MEDIA_TYPE, PlatformMessages.BODY_WITHOUT_CONTENT_TYPE);
            return;
        }
        ctx.next();
    }

    private static boolean hasBody(String contentLength, String transferEncoding) {
        if (transferEncoding != null) {
            return true;
        }
        try {
            return contentLength != null && Long.parseLong(contentLength.trim()) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isLarger(String contentLength, long limit) {
        try {
            return Long.parseLong(contentLength.trim()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void failure(RoutingContext ctx) {
        if (ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        int status = ctx.statusCode();
        if (status == 413) {
            write(ctx, ProblemType.PAYLOAD_TOO_LARGE, PlatformMessages.BODY_TOO_LARGE);
        } else if (status == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            write(ctx, ProblemType.UNAUTHORIZED, PlatformMessages.BEARER_TOKEN_REQUIRED);
        } else if (status == 403) {
            write(ctx, ProblemType.FORBIDDEN, PlatformMessages.ROLE_FORBIDDEN);
        } else if (status >= 400 && status < 500) {
            ProblemType type = ProblemType.forStatus(status);
            write(ctx, type, type);
        } else {
            if (ctx.failure() != null) {
                LOG.error("Unhandled failure at the HTTP layer", ctx.failure());
            }
            write(ctx, ProblemType.INTERNAL_ERROR, PlatformMessages.UNEXPECTED_ERROR);
        }
    }

    /** A problem in the language the request asks for (this layer runs before JAX-RS: read from the header). */
    private void write(RoutingContext ctx, ProblemType type, MessageKey detail, Object... args) {
        String correlationId = ctx.get(CorrelationId.MDC_KEY);
        Locale language = Languages.best(ctx.request().getHeader(Languages.ACCEPT_LANGUAGE));
        Problem problem = new Problem(language, type, Messages.text(language, detail, args), ctx.request().path(),
                correlationId, List.of(), Map.of());
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            body = "{\"status\":" + type.status() + "}";
        }
        ctx.response().setStatusCode(type.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(Languages.CONTENT_LANGUAGE, Languages.tag(language))
                .putHeader("Vary", Languages.ACCEPT_LANGUAGE)
                .end(body);
    }

}
