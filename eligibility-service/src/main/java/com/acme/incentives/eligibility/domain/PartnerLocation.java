package com.acme.incentives.eligibility.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A location as identity-service announced it; the owner of the record is identity-service. */
@Entity
@Table(name = "partner_location")
public class PartnerLocation extends PanacheEntityBase {

    @Id
    @Column(name = "partner_id")
    public String partnerId;

    @Column(name = "organization_id", nullable = false)
    public UUID organizationId;

    @Column(nullable = false)
    public String country;

    @Column(name = "partner_type", nullable = false)
    public String partnerType;

    @Column(name = "known_since", nullable = false)
    public Instant knownSince;

    @Column(name = "source_event_id", nullable = false)
    public UUID sourceEventId;
}
