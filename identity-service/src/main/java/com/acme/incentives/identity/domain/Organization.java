package com.acme.incentives.identity.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import java.time.Instant;
import java.util.UUID;

/** A partner's global account: the tenant every other record belongs to. */
@Entity
public class Organization extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    @Column(name = "contact_email", nullable = false)
    public String contactEmail;

    @Column(name = "contact_first_name", nullable = false)
    public String contactFirstName;

    @Column(name = "contact_last_name", nullable = false)
    public String contactLastName;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;
}
