package com.acme.incentives.enrollment.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One transition of an organization's migration; append-only. */
@Entity
@Table(name = "wave_organization_history")
public class WaveOrganizationHistory extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "wave_organization_id", nullable = false)
    public UUID waveOrganizationId;

    @Enumerated(EnumType.STRING)
    @Column(name = "from_status")
    public MigrationStatus fromStatus;

    @Enumerated(EnumType.STRING)
    @Column(name = "to_status", nullable = false)
    public MigrationStatus toStatus;

    @Column(nullable = false)
    public String reason;

    @Column(name = "changed_by", nullable = false)
    public String changedBy;

    @Column(name = "changed_at", nullable = false)
    public Instant changedAt;

    static WaveOrganizationHistory of(UUID waveOrganizationId, MigrationStatus from, MigrationStatus to, String reason,
            String by, Instant at) {
        WaveOrganizationHistory row = new WaveOrganizationHistory();
        row.waveOrganizationId = waveOrganizationId;
        row.fromStatus = from;
        row.toStatus = to;
        row.reason = reason;
        row.changedBy = by;
        row.changedAt = at;
        return row;
    }

    public static java.util.List<WaveOrganizationHistory> of(UUID waveOrganizationId) {
        return list("waveOrganizationId = ?1 order by id", waveOrganizationId);
    }
}
