package com.acme.incentives.gateway.edge;

import com.acme.incentives.gateway.problem.ProblemType;
import com.acme.incentives.gateway.problem.Problems;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * Enforces {@code quarkus.http.limits.max-body-size} (and a URI length limit) with a problem+json answer. A declared
 * Content-Length is judged here, before authentication, so an oversized upload costs nothing; a chunked body has no
 * declared size and is counted by the proxy while it streams ({@link #maxBytes()}).
 */
@ApplicationScoped
public class BodySizeLimit {

    /** The longest request URI the gateway relays. */
    public static final int MAX_URI_LENGTH = 8192;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    Optional<MemorySize> maxBodySize;

    void register(@Observes Filters filters) {
        filters.register(this::check, FilterPriorities.BODY_SIZE_LIMIT);
    }

    public long maxBytes() {
        return maxBodySize.map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
    }

    private void check(RoutingContext ctx) {
        // Same limit as the services (platform HttpRoutes): the codec's own 414 for a long request line has no body.
        String uri = ctx.request().uri();
        if (uri.length() > MAX_URI_LENGTH) {
            Problems.send(ctx, ProblemType.URI_TOO_LONG,
                    "The request URI has " + uri.length() + " characters; at most " + MAX_URI_LENGTH + " are accepted");
            return;
        }
        long declared = declaredLength(ctx);
        long max = maxBytes();
        if (declared > max) {
            // Reading a few extra megabytes lets an ordinary client (which sends its whole body before it reads the
            // answer) see the 413 instead of a broken pipe; anything larger is not worth receiving, so hang up.
            if (declared > 2 * max) {
                ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            }
            Problems.send(ctx, ProblemType.PAYLOAD_TOO_LARGE,
                    "The request body has " + declared + " bytes; the gateway accepts at most " + max);
            return;
        }
        ctx.next();
    }

    private static long declaredLength(RoutingContext ctx) {
        String value = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1; // Vert.x's HTTP codec has already refused a malformed length.
        }
    }
}
