package com.acme.incentives.enrollment.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** An invitation of a (location, programme), valid {@code enrollment.invitation.validity} (30 days). */
@Entity
@Table(name = "invitation")
public class Invitation extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "enrollment_id", nullable = false)
    public UUID enrollmentId;

    @Column(name = "organization_id", nullable = false)
    public UUID organizationId;

    @Column(name = "partner_id", nullable = false)
    public String partnerId;

    @Column(name = "program_id", nullable = false)
    public String programId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public InvitationStatus status;

    @Column(nullable = false)
    public String recipients;

    @Column(name = "issued_at", nullable = false)
    public Instant issuedAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "accepted_at")
    public Instant acceptedAt;

    @Column(name = "accepted_by")
    public String acceptedBy;

    @Column(name = "expired_at")
    public Instant expiredAt;

    /** The last reminder sent, in days before expiry (7, then 1); null while none was. */
    @Column(name = "reminded_days_before")
    public Integer remindedDaysBefore;
}
