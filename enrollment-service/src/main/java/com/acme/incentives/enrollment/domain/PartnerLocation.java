package com.acme.incentives.enrollment.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A location as identity-service announced it (LocationAdded). */
@Entity
@Table(name = "partner_location")
public class PartnerLocation extends PanacheEntityBase {

    @Id
    @Column(name = "partner_id")
    public String partnerId;

    @Column(name = "organization_id", nullable = false)
    public UUID organizationId;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String country;

    @Column(name = "partner_type", nullable = false)
    public String partnerType;

    @Column(name = "added_at", nullable = false)
    public Instant addedAt;
}
