package com.acme.incentives.platform.security;

import com.acme.incentives.platform.i18n.MessageKey;
import com.acme.incentives.platform.problem.ApiException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Who is calling, read from the verified access token only (services never call identity-service to authorize):
 * subject, organization ({@value #ORG_CLAIM}), roles, and the partner IDs an incentive role is limited to
 * ({@value #LOCATIONS_CLAIM}; empty means every location of the organization).
 *
 * <p>Tenancy rule of the whole platform: a resource of another organization is answered with 404, never 403, so a
 * caller cannot even learn that it exists.
 */
@RequestScoped
public class Caller {

    public static final String ORG_CLAIM = "org_id";
    public static final String LOCATIONS_CLAIM = "locations";

    @Inject
    SecurityIdentity identity;

    @Inject
    JsonWebToken token;

    public String subject() {
        return token.getSubject();
    }

    public String email() {
        Object email = token.getClaim("email");
        return email == null ? null : email.toString();
    }

    /** Whether a caller signed in at all (false in a scheduled job's or a consumed event's request context). */
    public boolean isAuthenticated() {
        return !identity.isAnonymous();
    }

    /** The token's {@code preferred_username}, when it has one. */
    public String username() {
        Object username = token.getClaim("preferred_username");
        return username == null ? null : username.toString();
    }

    /** The client the token was issued to ({@code azp}): for a machine client, its name. */
    public String clientId() {
        Object client = token.getClaim("azp");
        return client == null ? null : client.toString();
    }

    /**
     * A machine client (client credentials) rather than a person: its machine role, or Keycloak's service-account user
     * ({@code service-account-<client>}), which is how a client-credentials token of any client names its subject.
     */
    public boolean isMachineClient() {
        String username = username();
        return hasAnyRole(Roles.PARTNER_FEED, Roles.BANK_CONNECTOR)
                || (username != null && username.startsWith("service-account-"));
    }

    public Set<String> roles() {
        return identity.getRoles();
    }

    public boolean hasRole(String role) {
        return identity.hasRole(role);
    }

    public boolean hasAnyRole(String... roles) {
        for (String role : roles) {
            if (identity.hasRole(role)) {
                return true;
            }
        }
        return false;
    }

    public boolean isOperator() {
        return identity.hasRole(Roles.PROGRAM_OPERATOR);
    }

    public Optional<UUID> organizationId() {
        Object claim = token.getClaim(ORG_CLAIM);
        if (claim == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(claim.toString().replace("\"", "")));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Partner IDs the caller's incentive role is limited to; empty when it covers the whole organization. */
    public Set<String> locations() {
        Object claim = token.getClaim(LOCATIONS_CLAIM);
        Set<String> result = new TreeSet<>();
        if (claim instanceof Collection<?> values) {
            for (Object value : values) {
                result.add(value.toString().replace("\"", ""));
            }
        } else if (claim != null && !claim.toString().isBlank()) {
            result.add(claim.toString().replace("\"", ""));
        }
        return result;
    }

    /** Operators see every organization; everyone else only their own, and gets 404 for any other. */
    public void requireOrganization(UUID organizationId, MessageKey notFound, Object... args) {
        if (isOperator()) {
            return;
        }
        if (organizationId == null || organizationId().filter(organizationId::equals).isEmpty()) {
            throw ApiException.notFound(notFound, args);
        }
    }

    /** Whether the caller may see this location of its own organization (location-limited incentive roles). */
    public boolean coversLocation(String partnerId) {
        Set<String> limited = locations();
        return isOperator() || limited.isEmpty() || limited.contains(partnerId);
    }
}
