package com.acme.incentives.enrollment.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** An email waiting in (or sent from) the mail outbox; written in the business transaction, sent after commit. */
@Entity
@Table(name = "mail_outbox")
public class MailMessage extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "message_id", nullable = false)
    public String messageId;

    @Column(nullable = false)
    public String recipients;

    /** Which email this is: its template's name (invitation, payment-held, ...); null for rows older than V8. */
    public String kind;

    /** The event this email answers, or null for one a request or a job wrote: at most one row per event and language. */
    @Column(name = "event_id")
    public UUID eventId;

    /** The language of subject and body: en, ja or ko. */
    @Column(nullable = false)
    public String language;

    @Column(nullable = false)
    public String subject;

    @Column(nullable = false)
    public String body;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "sent_at")
    public Instant sentAt;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "last_error")
    public String lastError;
}
