package com.acme.incentives.gateway.contract;

import com.acme.incentives.gateway.problem.GatewayMessages;
import com.acme.incentives.gateway.config.GatewayConfig;
import com.acme.incentives.gateway.edge.SecurityHeaders;
import com.acme.incentives.platform.problem.ProblemType;
import com.acme.incentives.gateway.problem.Problems;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The public API contract and its documentation page, open to anyone (no sign-in: it describes the API, it holds no
 * data):
 * <ul>
 * <li>{@code GET /api/v1/openapi.json} and {@code .yaml}: the one OpenAPI 3.1 document of every operation under
 * {@code /api/v1}, made at build time from the services' documents (test-scope {@code ApiContractMerger}) and read
 * from the classpath, so the gateway needs no service to serve it;</li>
 * <li>{@code GET /api/v1/docs/}: Swagger UI rendering it, every file same-origin (its script and style unpacked from
 * the webjar at build time). That page alone gets a Content-Security-Policy that lets it run its own scripts and
 * inline styles (Swagger UI styles elements as it renders); everything else keeps the gateway's
 * {@code default-src 'none'}.</li>
 * </ul>
 * These routes come before {@code /api/*} (ApiRoutes), which would ask for credentials.
 */
@ApplicationScoped
public class ApiContractRoutes {

    private static final Logger LOG = Logger.getLogger(ApiContractRoutes.class);

    static final String DOCS_CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'"
            + " 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none';"
            + " base-uri 'none'; form-action 'none'";

    /** The documentation page's files: name to media type. Nothing else of the classpath is reachable. */
    private static final Map<String, String> DOCS = Map.of(
            "index.html", "text/html; charset=UTF-8",
            "docs.js", "text/javascript; charset=UTF-8",
            "docs.css", "text/css; charset=UTF-8",
            "swagger-ui-bundle.js", "text/javascript; charset=UTF-8",
            "swagger-ui.css", "text/css; charset=UTF-8",
            "swagger-ui-bundle.js.LICENSE.txt", "text/plain; charset=UTF-8");

    @Inject
    GatewayConfig config;

    private final Map<String, Optional<Buffer>> files = new ConcurrentHashMap<>();

    void install(@Observes Router router) {
        String prefix = config.apiPrefix();
        router.get(prefix + "/openapi.json").order(-100)
                .handler(ctx -> send(ctx, "api-contract/openapi.json", "application/json"));
        router.get(prefix + "/openapi.yaml").order(-100)
                .handler(ctx -> send(ctx, "api-contract/openapi.yaml", "application/yaml; charset=UTF-8"));
        // Vert.x matches "/docs" with or without the trailing slash; the page's relative links need the slash.
        router.get(prefix + "/docs").order(-100).handler(ctx -> {
            if (ctx.request().path().endsWith("/")) {
                docs(ctx, "index.html");
            } else {
                ctx.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, prefix + "/docs/").end();
            }
        });
        router.get(prefix + "/docs/:file").order(-100).handler(ctx -> docs(ctx, ctx.pathParam("file")));
    }

    private void docs(RoutingContext ctx, String file) {
        String type = DOCS.get(file);
        if (type == null) {
            Problems.send(ctx, ProblemType.NOT_FOUND, GatewayMessages.NOTHING_AT_THIS_PATH);
            return;
        }
        ctx.put(SecurityHeaders.CONTENT_SECURITY_POLICY_OVERRIDE, DOCS_CONTENT_SECURITY_POLICY);
        send(ctx, "api-docs/" + file, type);
    }

    private void send(RoutingContext ctx, String resource, String type) {
        Optional<Buffer> content = files.computeIfAbsent(resource, ApiContractRoutes::read);
        if (content.isEmpty()) {
            Problems.send(ctx, ProblemType.NOT_FOUND, GatewayMessages.NOTHING_AT_THIS_PATH);
            return;
        }
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, type).end(content.get());
    }

    private static Optional<Buffer> read(String resource) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                LOG.warnf("%s is not in the gateway's build (made by its Maven build: ApiContractMerger, Swagger UI"
                        + " unpacked from its webjar)", resource);
                return Optional.empty();
            }
            return Optional.of(Buffer.buffer(in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
