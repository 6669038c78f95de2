package com.acme.incentives.enrollment.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** An organization as identity-service announced it (OrganizationRegistered). */
@Entity
@Table(name = "partner_organization")
public class PartnerOrganization extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    @Column(name = "primary_contact_email", nullable = false)
    public String primaryContactEmail;

    @Column(name = "primary_contact_name", nullable = false)
    public String primaryContactName;

    @Column(name = "registered_at", nullable = false)
    public Instant registeredAt;
}
