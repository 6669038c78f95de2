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
}
