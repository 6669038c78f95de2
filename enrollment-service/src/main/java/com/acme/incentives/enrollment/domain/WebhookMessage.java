package com.acme.incentives.enrollment.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Generated;

import java.time.Instant;
import java.util.UUID;

/**
 * One event for one endpoint: the Standard Webhooks body built once (every attempt sends the same bytes), its
 * {@code webhook-id} ({@code msg_<uuid>}), and where its delivery stands.
 */
@Entity
@Table(name = "webhook_message")
public class WebhookMessage extends PanacheEntityBase {

    public enum Status {
        PENDING, DELIVERED, FAILED
    }

    @Id
    public String id;

    /** Insertion order (the database's sequence): the events' order per resource. */
    @Generated
    @Column(insertable = false, updatable = false)
    public Long seq;

    @Column(name = "endpoint_id", nullable = false)
    public UUID endpointId;

    @Column(name = "event_id", nullable = false)
    public UUID eventId;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    @Column(name = "resource_key", nullable = false)
    public String resourceKey;

    @Column(nullable = false)
    public String payload;

    @Column(name = "event_at", nullable = false)
    public Instant eventAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status;

    @Column(name = "attempt_count", nullable = false)
    public int attemptCount;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "locked_until")
    public Instant lockedUntil;

    @Column(name = "delivered_at")
    public Instant deliveredAt;
}
