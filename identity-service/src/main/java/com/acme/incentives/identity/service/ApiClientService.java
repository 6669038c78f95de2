package com.acme.incentives.identity.service;

import com.acme.incentives.identity.IdentityMessages;
import com.acme.incentives.identity.domain.ApiClient;
import com.acme.incentives.identity.keycloak.KeycloakAdmin;
import com.acme.incentives.identity.keycloak.KeycloakUnavailableException;
import com.acme.incentives.platform.audit.AuditTrail;
import com.acme.incentives.platform.i18n.PlatformMessages;
import com.acme.incentives.platform.paging.PageRequest;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.problem.FieldViolation;
import com.acme.incentives.platform.security.Caller;
import com.acme.incentives.platform.security.Capabilities;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * An organization's API clients (a partner system's own credentials), kept in step with Keycloak like users are
 * ({@link UserProvisioner}): a PROVISIONING row is committed before Keycloak is called, the client is made there
 * (confidential, service account only, org_id on the service account, the roles of the chosen scopes), and the row
 * becomes ACTIVE in the transaction that records the audit entry. A failure undoes what Keycloak made; a creation
 * that died half way is repaired by {@link ProvisioningReconciler}. No remote call runs inside a transaction.
 *
 * <p>The secret is Keycloak's: it is read once, answered once, and never stored or logged here.
 */
@ApplicationScoped
public class ApiClientService {

    private static final Logger LOG = Logger.getLogger(ApiClientService.class);

    public record Created(ApiClient client, String secret) {
    }

    public record Rotated(ApiClient client, String secret) {
    }

    @Inject
    KeycloakAdmin keycloak;

    @Inject
    OrganizationService organizations;

    @Inject
    AuditTrail audit;

    @Inject
    Clock clock;

    public Created create(UUID organizationId, String name, List<String> requestedScopes, String actor) {
        List<String> scopes = parseScopes(requestedScopes);
        organizations.find(organizationId);
        ApiClient reserved = QuarkusTransaction.requiringNew().call(() -> reserve(organizationId, name, scopes,
                actor));
        Compensation compensation = new Compensation();
        try {
            UUID keycloakId = keycloak.createApiClient(reserved.clientId, name);
            compensation.add("create client " + reserved.clientId, () -> keycloak.deleteClient(keycloakId));
            UUID serviceAccount = keycloak.serviceAccountUser(keycloakId);
            keycloak.updateUser(serviceAccount, Map.of(Caller.ORG_CLAIM, List.of(organizationId.toString())), null);
            keycloak.addRealmRoles(serviceAccount, scopes.stream().map(Capabilities.API_CLIENT_SCOPES::get).toList());
            String secret = keycloak.clientSecret(keycloakId).value();
            ApiClient active = QuarkusTransaction.requiringNew().call(() -> activate(reserved.id, keycloakId));
            return new Created(active, secret);
        } catch (RuntimeException e) {
            LOG.warnf("Creating API client %s of organization %s failed (%s); undoing it", reserved.clientId,
                    organizationId, e.toString());
            if (compensation.isEmpty()) {
                // The creation may have been applied before its answer was lost: remove it by name.
                compensation.add("create client " + reserved.clientId, () -> deleteByClientId(reserved.clientId));
            }
            if (compensation.run()) {
                QuarkusTransaction.requiringNew().run(() -> ApiClient.deleteById(reserved.id));
            }
            if (e instanceof KeycloakUnavailableException) {
                throw UserProvisioner.unavailable();
            }
            throw e;
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public PanacheQuery<ApiClient> list(UUID organizationId, PageRequest page) {
        organizations.find(organizationId);
        return ApiClient.find("organizationId = ?1 and status <> ?2",
                page.sort(Sort.descending("createdAt").and("id")), organizationId, ApiClient.Status.PROVISIONING);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public ApiClient find(UUID organizationId, UUID id) {
        ApiClient client = ApiClient.findById(id);
        if (client == null || !client.organizationId.equals(organizationId)
                || client.status == ApiClient.Status.PROVISIONING) {
            throw ApiException.notFound(IdentityMessages.API_CLIENT_NOT_FOUND, id);
        }
        return client;
    }

    /**
     * When the client last got a token, from Keycloak's sign-in events (kept 7 days); empty when it did not, or when
     * Keycloak cannot say right now (a listing must not fail for it).
     */
    public Optional<Instant> lastUsed(ApiClient client) {
        if (client.status != ApiClient.Status.ACTIVE) {
            return Optional.empty();
        }
        try {
            return keycloak.lastClientLogin(client.clientId);
        } catch (KeycloakUnavailableException e) {
            LOG.debugf("Last use of API client %s unknown: %s", client.clientId, e.getMessage());
            return Optional.empty();
        }
    }

    /** A new secret; the previous one keeps working until {@code previousSecretExpiresAt} (Keycloak's policy). */
    public Rotated rotate(UUID organizationId, UUID id, String actor) {
        ApiClient client = QuarkusTransaction.requiringNew().call(() -> active(organizationId, id));
        KeycloakAdmin.ClientSecret secret;
        try {
            secret = keycloak.rotateSecret(client.keycloakId);
        } catch (KeycloakUnavailableException e) {
            LOG.warnf("Rotating the secret of API client %s failed: %s", client.clientId, e.getMessage());
            throw UserProvisioner.unavailable();
        }
        ApiClient rotated = QuarkusTransaction.requiringNew().call(() -> {
            ApiClient row = ApiClient.findById(id, LockModeType.PESSIMISTIC_WRITE);
            row.secretRotatedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
            row.previousSecretExpiresAt = secret.previousExpiresAt();
            audit.record(organizationId, "API_CLIENT_SECRET_ROTATED", "API_CLIENT", id.toString(),
                    AuditTrail.details("clientId", row.clientId, "previousSecretValidUntil",
                            String.valueOf(secret.previousExpiresAt())));
            return row;
        });
        return new Rotated(rotated, secret.value());
    }

    /**
     * Deletes the Keycloak client (no new token is issued for it; tokens already issued expire within the realm's
     * access token lifespan, 5 minutes) and keeps the row as REVOKED. Revoking a revoked client changes nothing.
     */
    public void revoke(UUID organizationId, UUID id, String actor) {
        ApiClient client = QuarkusTransaction.requiringNew().call(() -> find(organizationId, id));
        if (client.status == ApiClient.Status.REVOKED) {
            return;
        }
        try {
            keycloak.deleteClient(client.keycloakId);
        } catch (KeycloakUnavailableException e) {
            LOG.warnf("Revoking API client %s failed: %s", client.clientId, e.getMessage());
            throw UserProvisioner.unavailable();
        }
        QuarkusTransaction.requiringNew().run(() -> {
            ApiClient row = ApiClient.findById(id, LockModeType.PESSIMISTIC_WRITE);
            if (row.status == ApiClient.Status.REVOKED) {
                return;
            }
            row.status = ApiClient.Status.REVOKED;
            row.revokedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
            row.revokedBy = actor;
            audit.record(organizationId, "API_CLIENT_REVOKED", "API_CLIENT", id.toString(),
                    AuditTrail.details("clientId", row.clientId, "name", row.name));
        });
    }

    /** Removes a creation that died half way: its Keycloak client if any, then the row. */
    public void repair(ApiClient dead) {
        deleteByClientId(dead.clientId);
        QuarkusTransaction.requiringNew().run(() -> ApiClient.delete("id = ?1 and status = ?2", dead.id,
                ApiClient.Status.PROVISIONING));
    }

    private void deleteByClientId(String clientId) {
        keycloak.findClient(clientId).ifPresent(keycloak::deleteClient);
    }

    private ApiClient active(UUID organizationId, UUID id) {
        ApiClient client = find(organizationId, id);
        if (client.status != ApiClient.Status.ACTIVE) {
            throw ApiException.conflict(IdentityMessages.API_CLIENT_REVOKED).with("clientStatus",
                    client.status.name());
        }
        return client;
    }

    private ApiClient reserve(UUID organizationId, String name, List<String> scopes, String actor) {
        ApiClient client = new ApiClient();
        client.id = UUID.randomUUID();
        client.organizationId = organizationId;
        client.name = name;
        client.clientId = ApiClient.clientIdOf(client.id);
        client.scopes = scopes;
        client.status = ApiClient.Status.PROVISIONING;
        client.createdAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        client.createdBy = actor;
        client.persist();
        return client;
    }

    private ApiClient activate(UUID id, UUID keycloakId) {
        ApiClient client = ApiClient.findById(id, LockModeType.PESSIMISTIC_WRITE);
        client.keycloakId = keycloakId;
        client.status = ApiClient.Status.ACTIVE;
        audit.record(client.organizationId, "API_CLIENT_CREATED", "API_CLIENT", id.toString(),
                AuditTrail.details("clientId", client.clientId, "name", client.name, "scopes", client.scopes));
        return client;
    }

    /** At least one scope, each one an organization may give an API client, none twice; sorted. */
    static List<String> parseScopes(List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            throw ApiException.invalidField("scopes", IdentityMessages.SCOPES_REQUIRED);
        }
        List<FieldViolation> errors = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        Set<String> known = new TreeSet<>(Capabilities.API_CLIENT_SCOPES.keySet());
        for (int i = 0; i < requested.size(); i++) {
            String scope = requested.get(i);
            if (scope == null || !known.contains(scope)) {
                errors.add(FieldViolation.of("scopes[" + i + "]", IdentityMessages.NOT_AN_API_CLIENT_SCOPE,
                        String.join(", ", known)));
            } else if (!seen.add(scope)) {
                errors.add(FieldViolation.of("scopes[" + i + "]", PlatformMessages.LISTED_TWICE));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return List.copyOf(seen);
    }
}
