package com.acme.incentives.payout.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;

/** A location's tax profile; never deleted, the newest one is the location's current profile. */
@Entity
@Table(name = "tax_profile")
public class TaxProfile extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "organization_id", nullable = false)
    public UUID organizationId;

    @Column(name = "partner_id", nullable = false)
    public String partnerId;

    @Column(nullable = false)
    public String country;

    @Enumerated(EnumType.STRING)
    @Column(name = "tax_form", nullable = false)
    public TaxForm taxForm;

    @Column(name = "tax_id", nullable = false)
    public String taxId;

    @Column(name = "expires_on", nullable = false)
    public LocalDate expiresOn;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    /** Counts the profile's versions (1 when created, one more per correction); its ETag. */
    @Column(nullable = false)
    public int version;

    /** When and by whom the current version was made (the creation for version 1). */
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "updated_by", nullable = false)
    public String updatedBy;

    public boolean expiredOn(LocalDate day) {
        return expiresOn.isBefore(day);
    }

    public static Optional<TaxProfile> currentFor(String partnerId) {
        return find("partnerId = ?1 order by createdAt desc", partnerId).firstResultOptional();
    }
}
