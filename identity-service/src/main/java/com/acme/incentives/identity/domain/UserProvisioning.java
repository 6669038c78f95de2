package com.acme.incentives.identity.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A user creation in flight: committed before Keycloak is called, deleted in the transaction that records the user.
 * One left behind marks a creation that failed half way (see ProvisioningReconciler).
 */
@Entity
@Table(name = "user_provisioning")
public class UserProvisioning extends PanacheEntityBase {

    @Id
    public String email;

    @Column(name = "organization_id", nullable = false)
    public UUID organizationId;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "started_by", nullable = false)
    public String startedBy;
}
