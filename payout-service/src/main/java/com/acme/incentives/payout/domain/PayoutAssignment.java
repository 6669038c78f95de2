package com.acme.incentives.payout.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** Where and how a location is paid for one programme, and whether the partner asked to hold its payments. */
@Entity
@Table(name = "payout_assignment")
@IdClass(PayoutAssignment.Key.class)
public class PayoutAssignment extends PanacheEntityBase {

    @Id
    @Column(name = "partner_id")
    public String partnerId;

    @Id
    @Column(name = "program_id")
    public String programId;

    @Column(name = "organization_id", nullable = false)
    public UUID organizationId;

    @Column(name = "tax_profile_id")
    public UUID taxProfileId;

    @Column(name = "bank_profile_id")
    public UUID bankProfileId;

    public String currency;

    @Column(name = "hold_requested", nullable = false)
    public boolean holdRequested;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "updated_by", nullable = false)
    public String updatedBy;

    public static class Key implements Serializable {
        public String partnerId;
        public String programId;

        public Key() {
        }

        public Key(String partnerId, String programId) {
            this.partnerId = partnerId;
            this.programId = programId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(partnerId, k.partnerId) && Objects.equals(programId, k.programId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(partnerId, programId);
        }
    }
}
