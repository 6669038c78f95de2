package com.acme.incentives.identity.service;

import com.acme.incentives.identity.domain.ApiClient;
import com.acme.incentives.platform.idempotency.OneTimeSecret;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Request and response bodies of the API client operations. */
public final class ApiClientDtos {

    private ApiClientDtos() {
    }

    static final String SCOPES_DESCRIPTION = "What the client may do, each scope a capability of `GET /me`:"
            + " `organization:read` (the organization and its locations), `incentives:read` (programmes, eligibility,"
            + " invitations, enrolments, earnings, payments, statements). At least one; anything else: 400 with code"
            + " `not-an-api-client-scope`";

    /** The scopes of an API client, for the contract only (they travel as strings; ApiClientService checks them). */
    @Schema(name = "ApiClientScope", type = SchemaType.STRING, enumeration = { "organization:read",
            "incentives:read" })
    static final class ApiClientScope {
        private ApiClientScope() {
        }
    }

    /** A new API client: a name people recognise it by, and its scopes. */
    @Schema(requiredProperties = { "name", "scopes" })
    public record NewApiClient(
            @Schema(examples = "Fabrikam ERP (reconciliation)") @NotBlank @Size(max = 100) String name,
            @Schema(type = SchemaType.ARRAY, description = SCOPES_DESCRIPTION, implementation = ApiClientScope.class)
            @NotNull @Size(max = 10) List<String> scopes) {
    }

    @Schema(requiredProperties = { "id", "organizationId", "clientId", "name", "scopes", "status", "createdAt",
            "createdBy" })
    public record ApiClientView(UUID id, UUID organizationId,
            @Schema(description = "The OAuth `client_id` the partner system signs in with (client credentials grant)")
            String clientId,
            String name,
            @Schema(type = SchemaType.ARRAY, implementation = ApiClientScope.class) List<String> scopes,
            @Schema(enumeration = { "ACTIVE", "REVOKED" }) String status,
            Instant createdAt, String createdBy,
            @Schema(description = "When it last got a token (from the identity provider's sign-in events, kept 7"
                    + " days); absent when not in that time, or when it cannot be known right now")
            Instant lastUsedAt,
            Instant secretRotatedAt,
            @Schema(description = "Until when the secret before the last rotation still works")
            Instant previousSecretValidUntil,
            Instant revokedAt, String revokedBy) {
    }

    /** The answer to a creation: the client, and its secret shown this once. */
    @Schema(requiredProperties = "client")
    public record CreatedApiClient(ApiClientView client,
            @Schema(description = "The client secret: shown this once, stored nowhere by us; null in an"
                    + " Idempotency-Key replay") String clientSecret) implements OneTimeSecret {
        @Override
        public Object withoutSecret() {
            return new CreatedApiClient(client, null);
        }
    }

    /** The answer to a rotation: the new secret, shown this once; the previous one works until the time given. */
    @Schema(requiredProperties = { "client", "clientSecret" })
    public record RotatedSecret(ApiClientView client,
            @Schema(description = "The new client secret, shown this once") String clientSecret) {
    }

    public static ApiClientView view(ApiClient client, Instant lastUsedAt) {
        return new ApiClientView(client.id, client.organizationId, client.clientId, client.name, client.scopes,
                client.status.name(), client.createdAt, client.createdBy, lastUsedAt, client.secretRotatedAt,
                client.previousSecretExpiresAt, client.revokedAt, client.revokedBy);
    }
}
