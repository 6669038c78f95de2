package com.acme.incentives.enrollment.webhooks;

import com.acme.incentives.enrollment.domain.WebhookEndpoint;
import com.acme.incentives.enrollment.domain.WebhookEventType;
import com.acme.incentives.platform.events.EventEnvelope;
import com.acme.incentives.platform.transactions.AfterCommit;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Queues webhook messages for a consumed event, in the inbox's transaction: one per enabled endpoint of the event's
 * organization subscribed to its type. The inbox records the event for its consumer in the same transaction and the
 * table is unique on (endpoint, event), so each endpoint gets each event once, whatever redelivers it. The Standard
 * Webhooks body is built here, once: {@code {"type", "timestamp", "data"}}, data as the event published it.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class WebhookQueue {

    private static final Logger LOG = Logger.getLogger(WebhookQueue.class);

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    @Inject
    WebhookDelivery delivery;

    @Inject
    AfterCommit afterCommit;

    /** Returns how many messages were queued (0 for a type no endpoint can subscribe to). */
    public int queue(EventEnvelope event) {
        Optional<WebhookEventType> type = WebhookEventType.ofEvent(event.type());
        if (type.isEmpty()) {
            return 0;
        }
        JsonNode data = event.data();
        UUID organizationId = organizationId(data);
        String resourceKey = type.get().resourceKey(data);
        if (organizationId == null || resourceKey == null) {
            // not the partner's to receive (every such event carries both); the event's other effects still apply
            LOG.warnf("%s %s without organizationId or its resource key: no webhook", event.type(), event.eventId());
            return 0;
        }
        List<WebhookEndpoint> endpoints = WebhookEndpoint.<WebhookEndpoint>list(
                "organizationId = ?1 and enabled = true", organizationId).stream()
                .filter(e -> e.eventTypes().contains(type.get().subscription)).toList();
        if (endpoints.isEmpty()) {
            return 0;
        }
        Instant at = event.occurredAt() == null ? clock.instant() : event.occurredAt();
        String payload = payload(type.get().subscription, at, data);
        Instant now = clock.instant();
        int queued = 0;
        for (WebhookEndpoint endpoint : endpoints) {
            queued += em.createNativeQuery("INSERT INTO webhook_message (id, endpoint_id, event_id, event_type,"
                    + " resource_key, payload, event_at, created_at, status, attempt_count, next_attempt_at)"
                    + " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'PENDING', 0, ?8)"
                    + " ON CONFLICT (endpoint_id, event_id) DO NOTHING")
                    .setParameter(1, "msg_" + UUID.randomUUID()).setParameter(2, endpoint.id)
                    .setParameter(3, event.eventId()).setParameter(4, type.get().subscription)
                    .setParameter(5, resourceKey).setParameter(6, payload)
                    .setParameter(7, at).setParameter(8, now)
                    .executeUpdate();
        }
        if (queued > 0) {
            // the messages go out as soon as the worker's claim can see them, not at its next tick
            afterCommit.run(delivery::wakeUp);
        }
        return queued;
    }


    private String payload(String type, Instant at, JsonNode data) {
        ObjectNode body = json.createObjectNode();
        body.put("type", type);
        body.put("timestamp", at.toString());
        body.set("data", data == null ? json.createObjectNode() : data);
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write a webhook body", e);
        }
    }

    private static UUID organizationId(JsonNode data) {
        JsonNode value = data == null ? null : data.get("organizationId");
        try {
            return value == null || value.isNull() ? null : UUID.fromString(value.asText());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
