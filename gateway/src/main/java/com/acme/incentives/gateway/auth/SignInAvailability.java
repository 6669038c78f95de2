package com.acme.incentives.gateway.auth;

import com.acme.incentives.gateway.problem.GatewayMessages;
import com.acme.incentives.gateway.edge.FilterPriorities;
import com.acme.incentives.platform.problem.ProblemType;
import com.acme.incentives.gateway.problem.Problems;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Before {@code /login} sends a browser to Keycloak, makes sure Keycloak answers: when it does not, the person gets a
 * clear 503 ("sign-in is unavailable") from us instead of a browser error page about a host that does not respond.
 * Calls with a session or a token are unaffected: they are checked with keys the gateway already holds.
 * The probe result is kept for a few seconds so a burst of sign-ins costs one probe.
 */
@ApplicationScoped
public class SignInAvailability {

    private static final Logger LOG = Logger.getLogger(SignInAvailability.class);
    private static final long REMEMBER_MILLIS = 5_000;

    @ConfigProperty(name = "quarkus.oidc.auth-server-url")
    String authServerUrl;

    @Inject
    Vertx vertx;

    private HttpClient client;
    private final AtomicReference<Boolean> lastAnswer = new AtomicReference<>();
    private final AtomicLong lastProbeAt = new AtomicLong();

    void register(@Observes Filters filters) {
        filters.register(this::check, FilterPriorities.SIGN_IN_AVAILABILITY);
    }

    private void check(RoutingContext ctx) {
        if (!"/login".equals(ctx.normalizedPath())) {
            ctx.next();
            return;
        }
        Boolean known = lastAnswer.get();
        if (known != null && System.currentTimeMillis() - lastProbeAt.get() < REMEMBER_MILLIS) {
            decide(ctx, known);
            return;
        }
        URI discovery = URI.create(authServerUrl + "/.well-known/openid-configuration");
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(discovery.toString())
                .setTimeout(2_000);
        client().request(request)
                .compose(req -> req.send())
                .onComplete(result -> {
                    boolean up = result.succeeded() && result.result().statusCode() == 200;
                    if (result.succeeded()) {
                        result.result().body(); // drain
                    }
                    if (!up && !Boolean.FALSE.equals(lastAnswer.get())) {
                        LOG.warnf("Keycloak does not answer at %s: sign-in is refused until it does", discovery);
                    }
                    lastAnswer.set(up);
                    lastProbeAt.set(System.currentTimeMillis());
                    decide(ctx, up);
                });
    }

    private static void decide(RoutingContext ctx, boolean up) {
        if (up) {
            ctx.next();
        } else {
            ctx.response().putHeader("Retry-After", "30");
            Problems.send(ctx, ProblemType.SERVICE_UNAVAILABLE, GatewayMessages.SIGN_IN_UNAVAILABLE);
        }
    }

    private synchronized HttpClient client() {
        if (client == null) {
            client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2_000));
        }
        return client;
    }
}
