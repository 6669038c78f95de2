package com.acme.incentives.identity.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One line of a user's history: who did what, when. Append-only; {@code detail} never holds a credential. */
@Entity
@Table(name = "user_audit")
public class UserAudit extends PanacheEntityBase {

    public enum Action {
        CREATED, ROLES_CHANGED, PASSWORD_RESET, DEACTIVATED, REACTIVATED, ACTIVATED, LOCALE_CHANGED, EMAIL_PREFERENCES_CHANGED
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "user_id", nullable = false)
    public UUID userId;

    @Column(name = "organization_id", nullable = false)
    public UUID organizationId;

    @Column(nullable = false)
    public String action;

    @Column(nullable = false)
    public String actor;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    public String detail;

    public static void record(UserAccount user, Action action, String actor, Instant at, String detail) {
        UserAudit line = new UserAudit();
        line.userId = user.id;
        line.organizationId = user.organizationId;
        line.action = action.name();
        line.actor = actor;
        line.occurredAt = at;
        line.detail = detail;
        line.persist();
    }
}
