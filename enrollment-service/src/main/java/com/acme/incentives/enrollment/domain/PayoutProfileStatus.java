package com.acme.incentives.enrollment.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** payout-service's last applied PayoutProfileStatusChanged for a location. */
@Entity
@Table(name = "payout_profile_status")
public class PayoutProfileStatus extends PanacheEntityBase {

    @Id
    @Column(name = "partner_id")
    public String partnerId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public PayoutProfileState status;

    @Column(nullable = false)
    public long sequence;

    @Column(name = "changed_at", nullable = false)
    public Instant changedAt;

    /** The event's {@code taxProfile} ({@code MISSING}, {@code VALID}, {@code EXPIRED}); null before V4. Kept as text:
     * a value payout-service adds later is stored and shown rather than refused. */
    @Column(name = "tax_profile")
    public String taxProfile;

    /** The event's {@code bankProfile} ({@code MISSING}, {@code PENDING_VALIDATION}, {@code APPROVED},
     * {@code ACTION_REQUIRED}); null before V4. */
    @Column(name = "bank_profile")
    public String bankProfile;
}
