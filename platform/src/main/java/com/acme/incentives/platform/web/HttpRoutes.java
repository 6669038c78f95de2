package com.acme.incentives.platform.web;

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
        router.route().last().handler(ctx -> write(ctx, ProblemType.NOT_FOUND, "No resource at this path"));
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
            write(ctx, ProblemType.URI_TOO_LONG, "The request URI has " + uri.length() + " characters; at most "
                    + MAX_URI_LENGTH + " are accepted");
            return;
        }
        // A NUL can only arrive percent-encoded; no identifier or filter of ours contains one, and PostgreSQL cannot
        // store it in text, so refuse it at the door rather than fail deep inside.
        if (uri.contains("%00")) {
            write(ctx, ProblemType.MALFORMED_REQUEST, "The request URI contains an encoded NUL character (%00)");
            return;
        }
        // Refuse a declared oversized body before reading it, in the problem shape (the HTTP layer's own 413 has
        // no body at all).
        String length = ctx.request().getHeader("Content-Length");
        if (length != null && isLarger(length, maxBodySize.asLongValue())) {
            write(ctx, ProblemType.PAYLOAD_TOO_LARGE,
                    "The request body is larger than the " + maxBodySize.asLongValue() + " bytes this service accepts");
            return;
        }
        // A body without a Content-Type would be read as whatever the operation expects: refuse it instead, so what a
        // service reads is always what the client said it sent.
        if (hasBody(length, ctx.request().getHeader("Transfer-Encoding"))
                && ctx.request().getHeader("Content-Type") == null) {
            write(ctx, ProblemType.UNSUPPORTED_MEDIA_TYPE,
                    "The request has a body but no Content-Type header; send Content-Type: application/json");
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
            write(ctx, ProblemType.PAYLOAD_TOO_LARGE, "The request body is larger than this operation accepts");
        } else if (status == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            write(ctx, ProblemType.UNAUTHORIZED, "A valid bearer token is required");
        } else if (status == 403) {
            write(ctx, ProblemType.FORBIDDEN, "Your role does not allow this operation");
        } else if (status >= 400 && status < 500) {
            ProblemType type = ProblemType.forStatus(status);
            write(ctx, type, type.title());
        } else {
            if (ctx.failure() != null) {
                LOG.error("Unhandled failure at the HTTP layer", ctx.failure());
            }
            write(ctx, ProblemType.INTERNAL_ERROR,
                    "The request could not be completed; quote the correlation id when you report it");
        }
    }

    private void write(RoutingContext ctx, ProblemType type, String detail) {
        String correlationId = ctx.get(CorrelationId.MDC_KEY);
        Problem problem = new Problem(type, detail, ctx.request().path(), correlationId, List.of(), Map.of());
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            body = "{\"status\":" + type.status() + "}";
        }
        ctx.response().setStatusCode(type.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(body);
    }

}
