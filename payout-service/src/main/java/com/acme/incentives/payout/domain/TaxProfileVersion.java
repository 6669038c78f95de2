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
import java.util.UUID;

/** One version of a tax profile as submitted (the current one included); closed when a correction replaces it. */
@Entity
@Table(name = "tax_profile_version")
public class TaxProfileVersion extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "profile_id", nullable = false)
    public UUID profileId;

    @Column(nullable = false)
    public int version;

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

    @Column(name = "superseded_at")
    public Instant supersededAt;

    public static TaxProfileVersion of(TaxProfile p) {
        TaxProfileVersion v = new TaxProfileVersion();
        v.id = UUID.randomUUID();
        v.profileId = p.id;
        v.version = p.version;
        v.country = p.country;
        v.taxForm = p.taxForm;
        v.taxId = p.taxId;
        v.expiresOn = p.expiresOn;
        v.createdAt = p.updatedAt;
        v.createdBy = p.updatedBy;
        return v;
    }
}
