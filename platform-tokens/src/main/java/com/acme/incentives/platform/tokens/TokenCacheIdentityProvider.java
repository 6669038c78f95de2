package com.acme.incentives.platform.tokens;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.runtime.OidcIdentityProvider;
import io.quarkus.oidc.runtime.OidcUtils;
import io.quarkus.runtime.Startup;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Answers a bearer token this process has already verified from {@link VerifiedTokens}, and hands every other one to
 * Quarkus OIDC's own provider, keeping what it verified.
 *
 * <p>Why an {@link IdentityProvider} ahead of OIDC's ({@link #priority()}): Quarkus asks the providers of a request
 * type in priority order and takes the first identity; the {@code SecurityIdentityAugmentor}s run afterwards on
 * whichever identity came back. So the cache holds the identity exactly as OIDC's provider made it (principal =
 * the {@link JsonWebToken}, roles from {@code realm_access/roles}, the token's scopes as permissions), before any
 * augmentation, and a cached identity goes through the same augmentors as a freshly verified one: nothing is added
 * twice, nothing skipped. A failure of OIDC's provider is passed on as it is and nothing is stored.
 *
 * <p>What belongs to one request is not served from the cache: the identity keeps the {@link RoutingContext} of the
 * request that verified it (and the blocking-API marker read from it), so a hit gets the current request's instead.
 *
 * <p>{@link Startup}: made when the service starts, so its series ({@code security_token_cache_*}) exist before the
 * first request.
 *
 * <p>Only access tokens are cached ({@link AccessTokenCredential}: the services' {@code application-type=service},
 * the gateway's {@code bearer} tenant; the gateway's browser sessions are verified as ID tokens, which are not). The
 * key is the OIDC tenant and the token together: a token verified for one tenant (its audience, issuer, keys) is
 * never a hit for another; a request whose tenant is not known yet is not answered from the cache. Not suited as it
 * is to tokens bound to the request (mTLS- or DPoP-bound tokens), which nothing here accepts.
 */
@ApplicationScoped
@Startup
public class TokenCacheIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    static final String ROUTING_CONTEXT = RoutingContext.class.getName();
    static final String BLOCKING_API = AuthenticationRequestContext.class.getName();

    private final OidcIdentityProvider oidc;
    private final boolean enabled;
    private final VerifiedTokens tokens;
    private final Counter hits;
    private final Counter misses;

    @Inject
    TokenCacheIdentityProvider(OidcIdentityProvider oidc, TokenCacheSettings settings, MeterRegistry registry) {
        this.oidc = oidc;
        this.enabled = settings.enabled();
        // The system clock, not the service's injectable one (platform time/ClockProducer): OIDC checks exp against
        // the system clock, and a test that moves the business clock (eligibility's MovableClock) must change
        // neither which tokens are accepted nor which are kept.
        this.tokens = new VerifiedTokens(settings.maximumSize(), settings.timeToLive(), Clock.systemUTC(),
                Ticker.systemTicker());
        this.hits = Counter.builder("security.token.cache").tag("result", "hit")
                .description("Bearer tokens answered from the cache of verified tokens").register(registry);
        this.misses = Counter.builder("security.token.cache").tag("result", "miss")
                .description("Bearer tokens not in the cache, verified by Quarkus OIDC").register(registry);
        Gauge.builder("security.token.cache.size", tokens, VerifiedTokens::size)
                .description("Verified bearer tokens held").register(registry);
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    /** Just above OIDC's provider ({@code SYSTEM_FIRST + 1} in Quarkus 3.34), so this one is asked first. */
    @Override
    public int priority() {
        return oidc.priority() + 1;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        if (!enabled || !(request.getToken() instanceof AccessTokenCredential)) {
            // No identity: Quarkus asks the next provider, OIDC's, exactly as without this one.
            return Uni.createFrom().nullItem();
        }
        RoutingContext routingContext = HttpSecurityUtils.getRoutingContextAttribute(request);
        Object tenant = routingContext == null ? null : routingContext.get(OidcUtils.TENANT_ID_ATTRIBUTE);
        if (tenant == null) {
            return Uni.createFrom().nullItem();
        }
        // The tenant, then the token: a line break cannot be part of either.
        String token = tenant + "\n" + request.getToken().getToken();
        Optional<SecurityIdentity> cached = tokens.find(token);
        if (cached.isPresent()) {
            hits.increment();
            return Uni.createFrom().item(forRequest(cached.get(), routingContext));
        }
        misses.increment();
        return oidc.authenticate(request, context).invoke(identity -> remember(token, identity));
    }

    private void remember(String token, SecurityIdentity identity) {
        if (identity != null && identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getExpirationTime() > 0) {
            tokens.remember(token, withoutRequest(identity), Instant.ofEpochSecond(jwt.getExpirationTime()));
        }
    }

    /** The verified identity without what belongs to the request that verified it. */
    static SecurityIdentity withoutRequest(SecurityIdentity identity) {
        Map<String, Object> attributes = new HashMap<>(identity.getAttributes());
        attributes.remove(ROUTING_CONTEXT);
        attributes.remove(BLOCKING_API);
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal())
                .addRoles(identity.getRoles())
                .addCredentials(identity.getCredentials())
                .addAttributes(attributes)
                .addPermissionChecker(identity::checkPermission)
                .build();
    }

    /** A cached identity with the current request's context, as OIDC's provider would have set it. */
    static SecurityIdentity forRequest(SecurityIdentity cached, RoutingContext routingContext) {
        if (routingContext == null) {
            return cached;
        }
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder(cached)
                .addAttribute(ROUTING_CONTEXT, routingContext);
        Object blockingApi = routingContext.get(BLOCKING_API);
        if (blockingApi != null) {
            builder.addAttribute(BLOCKING_API, blockingApi);
        }
        return builder.build();
    }

    /** The cache itself, for tests and for {@link VerifiedTokens#clear()}. */
    public VerifiedTokens tokens() {
        return tokens;
    }
}
