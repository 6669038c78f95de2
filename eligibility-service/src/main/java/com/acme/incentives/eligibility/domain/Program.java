package com.acme.incentives.eligibility.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * An incentive programme: whom it is offered to (a partner type, optionally limited to countries) and its criteria.
 * Criteria and countries are JSON text so operators can change the rule without a release.
 */
@Entity
@Table(name = "program")
public class Program extends PanacheEntityBase {

    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(name = "partner_type", nullable = false)
    public PartnerType partnerType;

    /** JSON array of ISO 3166-1 alpha-2 codes; empty = every country. */
    @Column(nullable = false)
    public String countries;

    /** JSON array of {@link Criterion}. */
    @Column(nullable = false)
    public String criteria;

    @Column(nullable = false)
    public boolean active;

    @Column(nullable = false)
    public int revision;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "updated_by", nullable = false)
    public String updatedBy;
}
