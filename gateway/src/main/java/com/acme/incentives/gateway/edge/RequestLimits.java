package com.acme.incentives.gateway.edge;

import com.acme.incentives.gateway.problem.GatewayMessages;
import com.acme.incentives.gateway.config.GatewayConfig;
import com.acme.incentives.platform.problem.ProblemType;
import com.acme.incentives.gateway.problem.Problems;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Map;
import java.util.Optional;

/**
 * The limits on a request's size, each answered with problem+json: the request URI (414), the header lines (431) and
 * the body ({@code quarkus.http.limits.max-body-size}, 413). A declared Content-Length is judged here, before
 * authentication, so an oversized upload costs nothing; a chunked body has no declared size and is counted by the
 * proxy while it streams ({@link #maxBytes()}).
 *
 * <p>Why here and not in the HTTP codec: Vert.x's codec refuses a request line over
 * {@code quarkus.http.limits.max-initial-line-length} (414) and headers over {@code max-header-size} (431) itself,
 * before any route or filter runs, with an empty body, and closes the connection. Vert.x has a hook for those answers
 * ({@code HttpServer#invalidRequestHandler}), but Quarkus creates the server without exposing it. So the codec's limits
 * are set well above ours (application.properties: 64 KB each) and ours are enforced here, where the answer can be a
 * problem document. Only a request head beyond the codec's limits still gets the codec's bare 414/431: still a 4xx,
 * and not worth buffering more of a request than that to answer it in our shape.
 */
@ApplicationScoped
public class RequestLimits {

    /** The longest request URI the gateway relays. */
    public static final int MAX_URI_LENGTH = 8192;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    Optional<MemorySize> maxBodySize;

    @Inject
    GatewayConfig config;

    void register(@Observes Filters filters) {
        filters.register(this::check, FilterPriorities.REQUEST_LIMITS);
    }

    public long maxBytes() {
        return maxBodySize.map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
    }

    private void check(RoutingContext ctx) {
        // Same limit as the services (platform HttpRoutes).
        String uri = ctx.request().uri();
        if (uri.length() > MAX_URI_LENGTH) {
            Problems.send(ctx, ProblemType.URI_TOO_LONG, GatewayMessages.URI_TOO_LONG, uri.length(), MAX_URI_LENGTH);
            return;
        }
        long headerBytes = 0;
        long relayedHeaderBytes = 0;
        for (Map.Entry<String, String> header : ctx.request().headers()) {
            // As the codec counts them: "name: value" and the line end.
            long line = header.getKey().length() + 2L + header.getValue().length() + 2L;
            headerBytes += line;
            if (!"cookie".equalsIgnoreCase(header.getKey())) {
                relayedHeaderBytes += line;
            }
        }
        long maxHeaders = config.limits().maxHeaderSize().asLongValue();
        long maxRelayed = config.limits().maxRelayedHeaderSize().asLongValue();
        if (headerBytes > maxHeaders || relayedHeaderBytes > maxRelayed) {
            Problems.send(ctx, ProblemType.REQUEST_HEADER_FIELDS_TOO_LARGE, headerBytes > maxHeaders
                    ? GatewayMessages.HEADERS_TOO_LARGE.with(headerBytes, maxHeaders)
                    : GatewayMessages.RELAYED_HEADERS_TOO_LARGE.with(relayedHeaderBytes, maxRelayed));
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
            Problems.send(ctx, ProblemType.PAYLOAD_TOO_LARGE, GatewayMessages.BODY_LARGER_THAN, declared, max);
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
