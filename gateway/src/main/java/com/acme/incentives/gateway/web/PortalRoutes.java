package com.acme.incentives.gateway.web;

import com.acme.incentives.gateway.auth.Caller;
import com.acme.incentives.gateway.auth.Callers;
import com.acme.incentives.gateway.auth.CsrfGuard;
import com.acme.incentives.gateway.auth.SignOuts;
import com.acme.incentives.gateway.config.GatewayConfig;
import com.acme.incentives.gateway.edge.SecurityHeaders;
import com.acme.incentives.gateway.problem.GatewayMessages;
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

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * The partner portal (module {@code portal}, its files under {@code portal/} on the classpath), on the same origin as
 * the API so its calls carry the session cookie and need no CORS:
 * <ul>
 * <li>{@code GET /} and every other page address a browser navigates to ({@code /payments}, a bookmark, a reload):
 * the portal's {@code index.html}; the portal routes in the browser. A signed-in session gets its XSRF token here
 * too, as at {@code /login}; a signed-out one has its cookies dropped.</li>
 * <li>{@code GET /assets/<file>}: the scripts and styles, named by their content's hash, so cached for a year.</li>
 * </ul>
 * Its pages get a Content-Security-Policy that allows scripts, styles and calls of this origin only (the build emits no
 * inline script or style). Files are read once and kept in memory, gzipped too for browsers that take it (a name that
 * is no file is looked up again each time: cheap, and nobody can fill the memory with misses).
 */
@ApplicationScoped
public class PortalRoutes {

    private static final Logger LOG = Logger.getLogger(PortalRoutes.class);

    static final String PORTAL_CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self'; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none';"
            + " form-action 'none'";
    static final String ASSET_CACHING = "public, max-age=31536000, immutable";

    private static final Map<String, String> MEDIA_TYPES = Map.of(
            "js", "text/javascript; charset=UTF-8",
            "css", "text/css; charset=UTF-8",
            "html", "text/html; charset=UTF-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "woff2", "font/woff2");
    private static final Pattern ASSET_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,200}");

    @Inject
    Callers callers;

    @Inject
    CsrfGuard csrf;

    @Inject
    GatewayConfig config;

    /** Files found, by name. Only those: a miss is not remembered, so random names cannot grow this map. */
    private final Map<String, PortalFile> files = new ConcurrentHashMap<>();

    void install(@Observes Router router) {
        router.get("/").handler(this::page);
        router.get("/assets/:file").handler(ctx -> asset(ctx, ctx.pathParam("file")));
        // After every other route (Fallbacks' 404 comes last of all): a page address only the portal knows.
        router.get().order(Integer.MAX_VALUE - 1).handler(ctx -> {
            if (isPageNavigation(ctx)) {
                page(ctx);
            } else {
                ctx.next();
            }
        });
    }

    /**
     * A browser loading a page: it asks for HTML, at an address with no file extension, outside the API and the
     * probes. Anything else unrouted stays a 404 problem.
     */
    static boolean isPageNavigation(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
        return accept != null && accept.contains("text/html")
                && !path.equals("/api") && !path.startsWith("/api/") && !path.startsWith("/q/")
                && !path.substring(path.lastIndexOf('/') + 1).contains(".");
    }

    private void page(RoutingContext ctx) {
        callers.resolveThen(ctx, caller -> {
            if (caller.kind() == Caller.Kind.SESSION) {
                csrf.issueTokenIfMissing(ctx, caller.sessionId());
            } else if (caller.sessionEnded()) {
                SignOuts.dropSessionCookies(ctx, config.https());
            }
            ctx.put(SecurityHeaders.CONTENT_SECURITY_POLICY_OVERRIDE, PORTAL_CONTENT_SECURITY_POLICY);
            send(ctx, "index.html");
        });
    }

    private void asset(RoutingContext ctx, String name) {
        if (!ASSET_NAME.matcher(name).matches()) {
            Problems.send(ctx, ProblemType.NOT_FOUND, GatewayMessages.NOTHING_AT_THIS_PATH);
            return;
        }
        ctx.put(SecurityHeaders.CACHE_CONTROL_OVERRIDE, ASSET_CACHING);
        send(ctx, "assets/" + name);
    }

    private void send(RoutingContext ctx, String name) {
        Optional<PortalFile> file = Optional.ofNullable(files.get(name)).or(() -> {
            Optional<PortalFile> found = read(name);
            found.ifPresent(content -> files.put(name, content));
            return found;
        });
        if (file.isEmpty()) {
            if (name.equals("index.html")) {
                LOG.warn("portal/index.html is not on the gateway's classpath (made by the portal module's build)");
            }
            ctx.remove(SecurityHeaders.CACHE_CONTROL_OVERRIDE);
            Problems.send(ctx, ProblemType.NOT_FOUND, GatewayMessages.NOTHING_AT_THIS_PATH);
            return;
        }
        PortalFile found = file.get();
        String encodings = ctx.request().getHeader(HttpHeaders.ACCEPT_ENCODING);
        boolean gzip = found.gzipped() != null && encodings != null && encodings.contains("gzip");
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, found.mediaType()).putHeader(HttpHeaders.VARY, "Accept-Encoding");
        if (gzip) {
            ctx.response().putHeader(HttpHeaders.CONTENT_ENCODING, "gzip").end(found.gzipped());
        } else {
            ctx.response().end(found.content());
        }
    }

    private static Optional<PortalFile> read(String name) {
        String extension = name.substring(name.lastIndexOf('.') + 1);
        String mediaType = MEDIA_TYPES.get(extension);
        if (mediaType == null) {
            return Optional.empty();
        }
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream("portal/" + name)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] content = in.readAllBytes();
            boolean compressible = !extension.equals("png") && !extension.equals("woff2");
            return Optional.of(new PortalFile(mediaType, Buffer.buffer(content),
                    compressible ? Buffer.buffer(gzip(content)) : null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length / 3 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(content);
        }
        return out.toByteArray();
    }

    /** A file of the portal, as sent and gzipped ({@code null} for formats already compressed). */
    private record PortalFile(String mediaType, Buffer content, Buffer gzipped) {
    }
}
