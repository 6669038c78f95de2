package com.acme.incentives.enrollment.webhooks;

import com.acme.incentives.enrollment.EnrollmentMessages;
import com.acme.incentives.enrollment.domain.WebhookAttempt;
import com.acme.incentives.enrollment.domain.WebhookEndpoint;
import com.acme.incentives.enrollment.domain.WebhookEventType;
import com.acme.incentives.enrollment.domain.WebhookMessage;
import com.acme.incentives.platform.audit.AuditTrail;
import com.acme.incentives.platform.concurrency.Versions;
import com.acme.incentives.platform.paging.Page;
import com.acme.incentives.platform.paging.PageRequest;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.problem.FieldViolation;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Registering and managing an organization's webhook endpoints (README "Webhooks"): URL safety
 * ({@link WebhookTargets}), known event types, If-Match on changes, secrets made here and shown once, every change on
 * the organization's audit trail (never with a secret).
 */
@ApplicationScoped
@Transactional
public class Webhooks {

    /** How long the previous secret keeps signing after a rotation (Standard Webhooks' usual grace). */
    public static final Duration PREVIOUS_SECRET_GRACE = Duration.ofHours(24);

    /** An endpoint with its secret, as made by {@link #create} or {@link #rotate}: the only time it is shown. */
    public record WithSecret(WebhookEndpoint endpoint, String secret) {
    }

    /** A message of the delivery log with its attempts, oldest attempt first. */
    public record Delivery(WebhookMessage message, List<WebhookAttempt> attempts) {
    }

    @Inject
    WebhookTargets targets;

    @Inject
    AuditTrail audit;

    @Inject
    Clock clock;

    public WithSecret create(UUID organizationId, String url, List<String> eventTypes, String description,
            String subject) {
        validate(url, eventTypes);
        Instant now = clock.instant();
        WebhookEndpoint endpoint = new WebhookEndpoint();
        endpoint.id = UUID.randomUUID();
        endpoint.organizationId = organizationId;
        endpoint.url = url;
        endpoint.description = blankToNull(description);
        endpoint.eventTypes = String.join(",", eventTypes);
        endpoint.enabled = true;
        endpoint.secret = WebhookSigner.newSecret();
        endpoint.version = 1;
        endpoint.createdAt = now;
        endpoint.createdBy = subject;
        endpoint.updatedAt = now;
        endpoint.persist();
        audit.record(organizationId, "WEBHOOK_ENDPOINT_CREATED", "WEBHOOK_ENDPOINT", endpoint.id.toString(),
                AuditTrail.details("url", url, "eventTypes", eventTypes, "description", endpoint.description));
        return new WithSecret(endpoint, endpoint.secret);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<WebhookEndpoint> list(UUID organizationId, PageRequest page) {
        return Page.of(WebhookEndpoint.<WebhookEndpoint>find("organizationId", Sort.descending("createdAt")
                .and("id"), organizationId), page, e -> e);
    }

    /** The organization's endpoint, or 404 (another organization's included). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public WebhookEndpoint get(UUID organizationId, UUID id) {
        return own(WebhookEndpoint.findById(id), organizationId, id);
    }

    /** Applies the members given; {@code enabled: true} on a disabled endpoint also forgets its failure streak. */
    public WebhookEndpoint update(UUID organizationId, UUID id, String url, List<String> eventTypes,
            String description, Boolean enabled, String ifMatch) {
        WebhookEndpoint endpoint = own(WebhookEndpoint.findById(id, LockModeType.PESSIMISTIC_WRITE), organizationId,
                id);
        Versions.check(ifMatch, endpoint.version);
        validate(url, eventTypes);
        Map<String, Object> changes = AuditTrail.details();
        if (url != null && !url.equals(endpoint.url)) {
            changes.put("url", url);
            endpoint.url = url;
        }
        if (eventTypes != null && !eventTypes.equals(endpoint.eventTypes())) {
            changes.put("eventTypes", eventTypes);
            endpoint.eventTypes = String.join(",", eventTypes);
        }
        if (description != null && !description.equals(endpoint.description == null ? "" : endpoint.description)) {
            changes.put("description", blankToNull(description));
            endpoint.description = blankToNull(description);
        }
        if (enabled != null && enabled != endpoint.enabled) {
            changes.put("enabled", enabled);
            endpoint.enabled = enabled;
            if (enabled) {
                // a fresh start: the days failed before it was disabled no longer count against it
                endpoint.failingSince = null;
                endpoint.disabledReason = null;
                endpoint.disabledAt = null;
            } else {
                endpoint.disabledAt = clock.instant();
                endpoint.disabledReason = null;
            }
        }
        if (!changes.isEmpty()) {
            endpoint.version++;
            endpoint.updatedAt = clock.instant();
            audit.record(organizationId, "WEBHOOK_ENDPOINT_UPDATED", "WEBHOOK_ENDPOINT", id.toString(), changes);
        }
        return endpoint;
    }

    /** Deletes the endpoint with its messages and their log. */
    public void delete(UUID organizationId, UUID id) {
        WebhookEndpoint endpoint = own(WebhookEndpoint.findById(id, LockModeType.PESSIMISTIC_WRITE), organizationId,
                id);
        endpoint.delete();
        audit.record(organizationId, "WEBHOOK_ENDPOINT_DELETED", "WEBHOOK_ENDPOINT", id.toString(),
                AuditTrail.details("url", endpoint.url));
    }

    /** A new secret; the current one becomes the previous one and signs too for 24 hours. */
    public WithSecret rotate(UUID organizationId, UUID id) {
        WebhookEndpoint endpoint = own(WebhookEndpoint.findById(id, LockModeType.PESSIMISTIC_WRITE), organizationId,
                id);
        Instant now = clock.instant();
        endpoint.previousSecret = endpoint.secret;
        endpoint.previousSecretUntil = now.plus(PREVIOUS_SECRET_GRACE);
        endpoint.secret = WebhookSigner.newSecret();
        endpoint.updatedAt = now;
        audit.record(organizationId, "WEBHOOK_SECRET_ROTATED", "WEBHOOK_ENDPOINT", id.toString(),
                AuditTrail.details("previousSecretExpiresAt", endpoint.previousSecretUntil.toString()));
        return new WithSecret(endpoint, endpoint.secret);
    }

    /** The endpoint's delivery log, newest first, optionally of one status. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<Delivery> deliveries(UUID organizationId, UUID id, WebhookMessage.Status status, PageRequest page) {
        get(organizationId, id);
        var query = status == null
                ? WebhookMessage.<WebhookMessage>find("endpointId", Sort.descending("seq"), id)
                : WebhookMessage.<WebhookMessage>find("endpointId = ?1 and status = ?2", Sort.descending("seq"), id,
                        status);
        List<WebhookMessage> messages = query.page(page.page, page.size).list();
        // The page's attempts in one query (not one per message), grouped by message, oldest first.
        Map<String, List<WebhookAttempt>> attempts = messages.isEmpty() ? Map.of()
                : WebhookAttempt.<WebhookAttempt>list("messageId in ?1", Sort.ascending("id"),
                        messages.stream().map(m -> m.id).toList())
                        .stream().collect(Collectors.groupingBy(a -> a.messageId));
        return Page.of(messages.stream().map(m -> new Delivery(m, attempts.getOrDefault(m.id, List.of()))).toList(),
                page, query.count());
    }

    /** Queues a message again, as new: PENDING, due now, its attempt count reset (its past attempts stay logged). */
    public Delivery redeliver(UUID organizationId, UUID id, String messageId) {
        get(organizationId, id);
        WebhookMessage message = WebhookMessage.findById(messageId, LockModeType.PESSIMISTIC_WRITE);
        if (message == null || !message.endpointId.equals(id)) {
            throw ApiException.notFound(EnrollmentMessages.WEBHOOK_MESSAGE_NOT_FOUND, messageId);
        }
        message.status = WebhookMessage.Status.PENDING;
        message.attemptCount = 0;
        message.nextAttemptAt = clock.instant();
        message.lockedUntil = null;
        message.deliveredAt = null;
        audit.record(organizationId, "WEBHOOK_MESSAGE_REDELIVERED", "WEBHOOK_ENDPOINT", id.toString(),
                AuditTrail.details("messageId", messageId, "eventType", message.eventType, "eventId",
                        message.eventId.toString()));
        return new Delivery(message, WebhookAttempt.<WebhookAttempt>list("messageId", Sort.ascending("id"),
                message.id));
    }

    /** 400 naming each bad field ({@code url}, {@code eventTypes[i]}); null members (an update's) are not checked. */
    private void validate(String url, List<String> eventTypes) {
        List<FieldViolation> errors = new ArrayList<>();
        if (url != null) {
            try {
                targets.check(url);
            } catch (WebhookTargets.Refused refused) {
                errors.add(FieldViolation.of("url", refused.reason));
            }
        }
        if (eventTypes != null) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < eventTypes.size(); i++) {
                String type = eventTypes.get(i);
                if (WebhookEventType.ofSubscription(type).isEmpty()) {
                    errors.add(FieldViolation.of("eventTypes[" + i + "]", EnrollmentMessages.WEBHOOK_EVENT_TYPE_UNKNOWN,
                            String.join(", ", WebhookEventType.subscriptions())));
                } else if (!seen.add(type)) {
                    errors.add(FieldViolation.of("eventTypes[" + i + "]", EnrollmentMessages.WEBHOOK_EVENT_TYPE_TWICE));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }

    private static WebhookEndpoint own(WebhookEndpoint endpoint, UUID organizationId, UUID id) {
        if (endpoint == null || !endpoint.organizationId.equals(organizationId)) {
            throw ApiException.notFound(EnrollmentMessages.WEBHOOK_ENDPOINT_NOT_FOUND, id);
        }
        return endpoint;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
