package com.acme.incentives.identity.keycloak;

import io.smallrye.faulttolerance.api.Guard;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.admin.client.token.TokenManager;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.jboss.logging.Logger;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The calls of Keycloak's admin REST API that identity-service needs, made as its service account
 * ({@code identity-service}, realm-management manage-users/view-users, and manage-clients/view-events for the
 * organizations' API clients) through Keycloak's admin client on the Quarkus REST client, which also fetches and
 * renews the service account's token.
 *
 * <p>Every call goes through one SmallRye Fault Tolerance {@link Guard} (settings in {@link KeycloakAdminConfig}):
 * <ul>
 * <li>a <b>timeout</b> per attempt, so a user waiting on the API gets a clean 503, not a hung request;</li>
 * <li><b>retries</b> only where repeating cannot do a thing twice: any call whose request surely never reached
 * Keycloak (no connection), and the idempotent calls (reads, PUTs, DELETEs) after any failure but a timeout. Creating
 * a user or a client and rotating a secret are never repeated once sent: the first may have been applied;</li>
 * <li>a <b>circuit breaker</b>: when most recent calls failed, calls fail at once for a while instead of each waiting
 * for its timeout, and one trial call then tells whether Keycloak is back.</li>
 * </ul>
 *
 * <p>Every failure is one of two exceptions: {@link KeycloakConflictException} (409: email, username or client id
 * taken) or {@link KeycloakUnavailableException} (anything else), whose {@code certainlyNotApplied()} tells the caller
 * whether to compensate. Request bodies carry temporary passwords: neither they nor the requests are ever logged.
 */
@ApplicationScoped
public class KeycloakAdmin {

    private static final Logger LOG = Logger.getLogger(KeycloakAdmin.class);

    /** A Keycloak user as far as we care. */
    public record KeycloakUser(UUID id, String email, boolean enabled, Map<String, List<String>> attributes,
            List<String> requiredActions) {
    }

    /** A new client's secret and the rotation state Keycloak keeps (client-secret-rotation policy). */
    public record ClientSecret(String value, Instant previousExpiresAt) {
    }

    /** The client attribute marking our API clients (the realm's secret-rotation client policy matches it). */
    public static final String API_CLIENT_ATTRIBUTE = "incentives.api-client";

    /** The circuit breaker's name (SmallRye's CircuitBreakerMaintenance knows it by this). */
    public static final String BREAKER = "keycloak-admin";

    /** Whether a call may be sent again after a failure that does not prove it was never received. */
    private enum Repeat {
        /** Reads, and writes that leave the same state however often they are applied (PUT, DELETE). */
        IDEMPOTENT,
        /** Creates something new each time (a user, a client, a secret). */
        ONCE
    }

    private final KeycloakAdminConfig config;
    private final Keycloak keycloak;
    private final Guard guard;
    private final Map<String, RoleRepresentation> roleRepresentations = new ConcurrentHashMap<>();

    @Inject
    public KeycloakAdmin(KeycloakAdminConfig config) {
        this.config = config;
        // Built here rather than injected (quarkus.keycloak.admin-client.*): one configuration prefix for this
        // client, and the Quarkus extension still supplies the REST client and its JSON mapping.
        this.keycloak = KeycloakBuilder.builder()
                .serverUrl(config.url())
                .realm(config.realm())
                .grantType(OAuth2Constants.CLIENT_CREDENTIALS)
                .clientId(config.clientId())
                .clientSecret(config.clientSecret())
                .build();
        KeycloakAdminConfig.Breaker breaker = config.circuitBreaker();
        this.guard = Guard.create()
                .withDescription(BREAKER)
                .withRetry()
                    .maxRetries(config.retries())
                    .delay(config.retryDelay().toMillis(), ChronoUnit.MILLIS)
                    .jitter(config.retryDelay().toMillis() / 2, ChronoUnit.MILLIS)
                    .whenException(KeycloakAdmin::worthRepeating)
                    .done()
                .withCircuitBreaker()
                    .name(BREAKER)
                    .requestVolumeThreshold(breaker.requestVolume())
                    .failureRatio(breaker.failureRatio())
                    .delay(breaker.openFor().toMillis(), ChronoUnit.MILLIS)
                    .successThreshold(1)
                    // A conflict is Keycloak answering well; only failures to answer count against it.
                    .when(e -> !(e instanceof KeycloakConflictException))
                    .onStateChange(state -> LOG.infof("Keycloak admin API circuit breaker: %s", state))
                    .done()
                .withTimeout()
                    .duration(config.timeout().toMillis(), ChronoUnit.MILLIS)
                    .done()
                .build();
    }

    @PreDestroy
    void close() {
        keycloak.close();
    }

    /** Creates an enabled user whose password is temporary: Keycloak makes them change it at first sign-in. */
    public UUID createUser(String email, String firstName, String lastName, Map<String, List<String>> attributes,
            String temporaryPassword) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername(email);
        user.setEmail(email);
        user.setFirstName(firstName);
        user.setLastName(lastName);
        user.setEnabled(true);
        user.setEmailVerified(true);
        user.setAttributes(attributes);
        user.setRequiredActions(List.of("UPDATE_PASSWORD"));
        user.setCredentials(List.of(password(temporaryPassword)));
        return call("create a user", Repeat.ONCE, () -> created(realm().users().create(user),
                "Keycloak already has a user with this username or email"));
    }

    public void addRealmRoles(UUID userId, Collection<String> roles) {
        if (!roles.isEmpty()) {
            run("add realm roles", Repeat.IDEMPOTENT, () -> realm().users().get(userId.toString()).roles().realmLevel()
                    .add(representations(roles)));
        }
    }

    public void removeRealmRoles(UUID userId, Collection<String> roles) {
        if (!roles.isEmpty()) {
            run("remove realm roles", Repeat.IDEMPOTENT, () -> realm().users().get(userId.toString()).roles()
                    .realmLevel().remove(representations(roles)));
        }
    }

    /** Replaces the given attributes (others are kept) and, when not null, the enabled flag. */
    public void updateUser(UUID userId, Map<String, List<String>> attributes, Boolean enabled) {
        run("update a user", Repeat.IDEMPOTENT, () -> {
            var resource = realm().users().get(userId.toString());
            UserRepresentation user = resource.toRepresentation();
            Map<String, List<String>> merged = user.getAttributes() == null ? new HashMap<>()
                    : new HashMap<>(user.getAttributes());
            attributes.forEach((name, values) -> {
                if (values.isEmpty()) {
                    merged.remove(name);
                } else {
                    merged.put(name, values);
                }
            });
            user.setAttributes(merged);
            if (enabled != null) {
                user.setEnabled(enabled);
            }
            resource.update(user);
        });
    }

    public void resetPassword(UUID userId, String temporaryPassword) {
        run("reset a password", Repeat.IDEMPOTENT, () -> realm().users().get(userId.toString())
                .resetPassword(password(temporaryPassword)));
    }

    /** Ends every session of the user (their refresh tokens stop working). */
    public void logout(UUID userId) {
        run("log a user out", Repeat.IDEMPOTENT, () -> realm().users().get(userId.toString()).logout());
    }

    /** Deletes a user; a user that is already gone counts as deleted. */
    public void deleteUser(UUID userId) {
        run("delete a user", Repeat.IDEMPOTENT, () -> deleted(realm().users().delete(userId.toString())));
    }

    /**
     * Creates a confidential client with a service account only (no browser or password sign-in): the client
     * credentials of a partner system. Its token carries our audience and the service account's org_id (client scopes
     * {@code incentives-api-audience}, {@code incentives-claims}); the realm's client policy for
     * {@value #API_CLIENT_ATTRIBUTE} clients keeps a rotated secret valid for a grace period. Returns Keycloak's id.
     */
    public UUID createApiClient(String clientId, String name) {
        ClientRepresentation client = new ClientRepresentation();
        client.setClientId(clientId);
        client.setName(name);
        client.setEnabled(true);
        client.setProtocol("openid-connect");
        client.setPublicClient(false);
        client.setClientAuthenticatorType("client-secret");
        client.setStandardFlowEnabled(false);
        client.setImplicitFlowEnabled(false);
        client.setDirectAccessGrantsEnabled(false);
        client.setServiceAccountsEnabled(true);
        client.setFullScopeAllowed(true);
        client.setDefaultClientScopes(List.of("basic", "profile", "roles", "incentives-api-audience",
                "incentives-claims"));
        client.setOptionalClientScopes(List.of());
        client.setAttributes(Map.of(API_CLIENT_ATTRIBUTE, "true"));
        return call("create a client", Repeat.ONCE, () -> created(realm().clients().create(client),
                "Keycloak already has a client " + clientId));
    }

    /** Keycloak's id of a client, found by its clientId. */
    public Optional<UUID> findClient(String clientId) {
        List<ClientRepresentation> found = call("search clients", Repeat.IDEMPOTENT,
                () -> realm().clients().findByClientId(clientId));
        return found.isEmpty() ? Optional.empty() : Optional.of(UUID.fromString(found.get(0).getId()));
    }

    /** The user behind a client's service account (it holds the client's roles and org_id attribute). */
    public UUID serviceAccountUser(UUID client) {
        return call("read a client's service account", Repeat.IDEMPOTENT, () -> UUID.fromString(
                realm().clients().get(client.toString()).getServiceAccountUser().getId()));
    }

    public ClientSecret clientSecret(UUID client) {
        return call("read a client secret", Repeat.IDEMPOTENT, () -> new ClientSecret(
                realm().clients().get(client.toString()).getSecret().getValue(), null));
    }

    /**
     * A new secret; the realm's rotation policy keeps the previous one valid until the returned instant (Keycloak's
     * {@code client.secret.rotated.expiration.time}).
     */
    public ClientSecret rotateSecret(UUID client) {
        String value = call("rotate a client secret", Repeat.ONCE,
                () -> realm().clients().get(client.toString()).generateNewSecret().getValue());
        Map<String, String> attributes = call("read a client", Repeat.IDEMPOTENT,
                () -> realm().clients().get(client.toString()).toRepresentation().getAttributes());
        String expires = attributes == null ? null : attributes.get("client.secret.rotated.expiration.time");
        return new ClientSecret(value, expires == null || expires.isEmpty() ? null
                : Instant.ofEpochSecond(Long.parseLong(expires)));
    }

    /** Deletes a client (its secrets stop working at once); a client already gone counts as deleted. */
    public void deleteClient(UUID client) {
        run("delete a client", Repeat.IDEMPOTENT, () -> deleted(realm().clients().delete(client.toString())));
    }

    /** When the client last got a token (its newest CLIENT_LOGIN event; the realm keeps events for 7 days). */
    public Optional<Instant> lastClientLogin(String clientId) {
        List<EventRepresentation> events = call("read a client's sign-in events", Repeat.IDEMPOTENT,
                () -> realm().getEvents(List.of("CLIENT_LOGIN"), clientId, null, null, null, null, null, 1));
        return events.isEmpty() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(events.get(0).getTime()));
    }

    public List<KeycloakUser> findByEmail(String email) {
        List<UserRepresentation> found = call("search users", Repeat.IDEMPOTENT,
                () -> realm().users().searchByEmail(email, true));
        return found.stream().map(KeycloakAdmin::user).toList();
    }

    public KeycloakUser user(UUID userId) {
        return user(call("read a user", Repeat.IDEMPOTENT,
                () -> realm().users().get(userId.toString()).toRepresentation()));
    }

    private static KeycloakUser user(UserRepresentation user) {
        return new KeycloakUser(UUID.fromString(user.getId()), user.getEmail(), Boolean.TRUE.equals(user.isEnabled()),
                user.getAttributes() == null ? Map.of() : user.getAttributes(),
                user.getRequiredActions() == null ? List.of() : user.getRequiredActions());
    }

    private static CredentialRepresentation password(String temporaryPassword) {
        CredentialRepresentation credential = new CredentialRepresentation();
        credential.setType(CredentialRepresentation.PASSWORD);
        credential.setValue(temporaryPassword);
        credential.setTemporary(true);
        return credential;
    }

    private RealmResource realm() {
        return keycloak.realm(config.realm());
    }

    /** Realm roles as Keycloak wants them in a role mapping, each read once per process. */
    private List<RoleRepresentation> representations(Collection<String> roles) {
        List<RoleRepresentation> list = new ArrayList<>();
        for (String role : roles) {
            list.add(roleRepresentations.computeIfAbsent(role,
                    name -> realm().roles().get(name).toRepresentation()));
        }
        return list;
    }

    /** The id of what a POST created (201 with a Location), or the conflict (409). */
    private static UUID created(Response response, String conflict) {
        try (response) {
            if (response.getStatus() == 409) {
                throw new KeycloakConflictException(conflict);
            }
            if (response.getStatus() != 201) {
                throw new WebApplicationException(response.getStatus());
            }
            return UUID.fromString(CreatedResponseUtil.getCreatedId(response));
        }
    }

    /** A DELETE's answer: 204, or 404 for what is gone already. */
    private static Void deleted(Response response) {
        try (response) {
            if (response.getStatus() != 204 && response.getStatus() != 404) {
                throw new WebApplicationException(response.getStatus());
            }
            return null;
        }
    }

    private void run(String what, Repeat repeat, Runnable body) {
        call(what, repeat, () -> {
            body.run();
            return null;
        });
    }

    /**
     * A call through the guard. The guard asks for the result's type only to tell asynchronous results (a
     * {@code CompletionStage}, a {@code Uni}) from synchronous ones; every call here is synchronous, so it is given
     * {@code Object}, and the callers need not spell their result types twice.
     */
    @SuppressWarnings("unchecked")
    private <T> T call(String what, Repeat repeat, Supplier<T> body) {
        try {
            return (T) guard.get(() -> (Object) attempt(what, repeat, body), Object.class);
        } catch (RuntimeException e) {
            throw outcome(what, e);
        }
    }

    /** One attempt, its failure said in our terms, so that the guard can tell what may be repeated. */
    private <T> T attempt(String what, Repeat repeat, Supplier<T> body) {
        try {
            return body.get();
        } catch (KeycloakConflictException e) {
            throw e;
        } catch (WebApplicationException | ProcessingException e) {
            // A refused token request surfaces from the client's token filter, wrapped or not: look down the causes.
            WebApplicationException answer = cause(e, WebApplicationException.class);
            if (answer != null && answer.getResponse() != null) {
                int status = answer.getResponse().getStatus();
                // 401/403: refused before anything was done. A token Keycloak no longer accepts (revoked, or expired
                // early) is dropped, so that a retry asks for a fresh one. Error bodies are not quoted: the status
                // says what happened, and nothing the request carried can be repeated in a message.
                boolean refused = status == 401 || status == 403;
                if (status == 401) {
                    forgetToken();
                }
                throw new KeycloakUnavailableException("Keycloak could not " + what + ": HTTP " + status, e, refused,
                        refused || repeat == Repeat.IDEMPOTENT);
            }
            // No connection (refused, unknown host): the request, or the token request before it, was never sent.
            boolean neverSent = cause(e, ConnectException.class) != null
                    || cause(e, UnknownHostException.class) != null;
            throw new KeycloakUnavailableException("Keycloak admin API unreachable (" + what + "): "
                    + rootCause(e).getClass().getSimpleName(), e, neverSent, neverSent || repeat == Repeat.IDEMPOTENT);
        }
    }

    private void forgetToken() {
        TokenManager tokens = keycloak.tokenManager();
        try {
            tokens.invalidate(tokens.getAccessTokenString());
        } catch (RuntimeException e) {
            // The token endpoint refused or failed too: there is no token to forget, the next attempt asks again.
        }
    }

    /** What the guard let through, as one of our two exceptions. */
    private static RuntimeException outcome(String what, RuntimeException e) {
        if (e instanceof KeycloakConflictException || e instanceof KeycloakUnavailableException) {
            return e;
        }
        if (e instanceof CircuitBreakerOpenException) {
            // Nothing was sent: the breaker answered for Keycloak.
            return new KeycloakUnavailableException("Keycloak admin API failing, not called (" + what + ")", e, true,
                    false);
        }
        if (e instanceof TimeoutException) {
            return new KeycloakUnavailableException("Keycloak did not answer in time (" + what + ")", e, false, false);
        }
        return new KeycloakUnavailableException("Keycloak admin call failed (" + what + "): "
                + e.getClass().getSimpleName(), e, false, false);
    }

    /** The guard's retry condition: a timeout or an open breaker is never repeated (they would only wait longer). */
    private static boolean worthRepeating(Throwable e) {
        return e instanceof KeycloakUnavailableException unavailable && unavailable.safeToRepeat();
    }

    private static <E extends Throwable> E cause(Throwable e, Class<E> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
