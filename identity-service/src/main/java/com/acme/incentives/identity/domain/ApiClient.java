package com.acme.incentives.identity.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A partner system's own credentials for one organization: our record of a Keycloak confidential client (its
 * {@code clientId}) whose service account carries the organization and the roles of the chosen scopes. The secret is
 * only ever in Keycloak and in the one answer that shows it.
 */
@Entity
@Table(name = "api_client")
public class ApiClient extends PanacheEntityBase {

    public enum Status {
        /** Being created in Keycloak (or a creation that died half way, until ApiClientReconciler repairs it). */
        PROVISIONING,
        ACTIVE,
        REVOKED
    }

    @Id
    public UUID id;

    @Column(name = "organization_id", nullable = false)
    public UUID organizationId;

    @Column(nullable = false)
    public String name;

    /** The OAuth client_id a partner system signs in with ({@code api-<id>}). */
    @Column(name = "client_id", nullable = false)
    public String clientId;

    /** Keycloak's internal id of the client; null while provisioning. */
    @Column(name = "keycloak_id")
    public UUID keycloakId;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false, columnDefinition = "text[]")
    public List<String> scopes;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "secret_rotated_at")
    public Instant secretRotatedAt;

    /** Until when the secret before the last rotation still signs in (Keycloak's rotated secret). */
    @Column(name = "previous_secret_expires_at")
    public Instant previousSecretExpiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "revoked_by")
    public String revokedBy;

    @Version
    public long version;

    public static String clientIdOf(UUID id) {
        return "api-" + id;
    }
}
