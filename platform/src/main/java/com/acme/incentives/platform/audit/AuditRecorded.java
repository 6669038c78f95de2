package com.acme.incentives.platform.audit;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Instant;
import java.util.UUID;

/**
 * The data of an {@value AuditTrail#EVENT_TYPE} event (docs/events.md): one change a person (or a machine, or the
 * service itself) made to an organization's data, published by the service that made it, on its own topic, keyed by
 * the organization so that an organization's entries stay in order.
 *
 * @param action      what was done, UPPER_SNAKE ({@code USER_ROLES_CHANGED}, {@code PAYMENT_RELEASE_REFUSED})
 * @param targetType  the kind of thing changed ({@code USER}, {@code PAYMENT}, {@code BANK_PROFILE}…)
 * @param targetId    its id (a user id, a payment id, a partner ID…)
 * @param details     a small JSON object of what changed; never a credential, an account number or a tax id (masked,
 *                    last four only)
 * @param correlationId the request that made the change (null for a scheduled job outside any request)
 * @param service     the service that made it ({@code quarkus.application.name})
 * <p>The constraints are what a reader requires (enrollment-service's audit log reads it through
 * {@code EventPayloads}); {@code occurredAt} absent means the envelope's time.
 */
public record AuditRecorded(@NotNull UUID organizationId, @NotBlank String action, String targetType, String targetId,
        JsonNode details, @NotNull @Valid Actor actor, String correlationId, Instant occurredAt,
        @NotBlank String service) {

    /** Who made the change: the token's subject, a readable name when the token has one, and what kind of caller. */
    public record Actor(String subject, String name, @NotNull ActorKind kind) {
    }

    public enum ActorKind {
        /** A member of an organization, signed in. */
        USER,
        /** A programme operator (the vendor's staff). */
        OPERATOR,
        /** A machine client (client credentials: the partner feed, the bank connector). */
        CLIENT,
        /** The service itself, outside any caller's request (a scheduled job, a consumed event). */
        SYSTEM
    }
}
