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

/** Our directory view of a Keycloak user (same id as in Keycloak and the token's {@code sub}); never a credential. */
@Entity
@Table(name = "user_account")
public class UserAccount extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "organization_id", nullable = false)
    public UUID organizationId;

    @Column(nullable = false)
    public String email;

    @Column(name = "first_name", nullable = false)
    public String firstName;

    @Column(name = "last_name", nullable = false)
    public String lastName;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false, columnDefinition = "text[]")
    public List<String> roles;

    /** Partner IDs an incentive role is limited to; empty means every location of the organization. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false, columnDefinition = "text[]")
    public List<String> locations;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public UserStatus status;

    @Column(name = "activated_at")
    public Instant activatedAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "updated_by", nullable = false)
    public String updatedBy;

    /** The preferred language (en, ja, ko), mirrored from Keycloak's {@code locale} attribute; null: never chosen. */
    public String locale;

    /** Whether the user gets the non-critical emails (a payment sent, an enrolment completed); true until they opt out. */
    @Column(name = "non_critical_emails", nullable = false)
    public boolean nonCriticalEmails = true;

    @Version
    public long version;

    public RoleSet roleSet() {
        return RoleSet.of(roles);
    }
}
