package com.acme.incentives.eligibility.events;

import com.acme.incentives.eligibility.domain.KnownLocation;
import com.acme.incentives.platform.events.EventEnvelope;
import com.acme.incentives.platform.inbox.EventInbox;
import com.acme.incentives.platform.inbox.PoisonEventException;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.UUID;

/** Keeps the projection of identity-service's locations that eligibility is evaluated for. */
@ApplicationScoped
public class IdentityEventsConsumer {

    static final String CONSUMER = "eligibility-service:identity-events";

    @Inject
    EventInbox inbox;

    @Incoming("identity-events")
    @Blocking
    public void onIdentityEvent(ConsumerRecord<String, String> record) {
        inbox.consume(CONSUMER, record, this::apply);
    }

    void apply(EventEnvelope event) {
        if ("LocationAdded".equals(event.type())) {
            locationAdded(event);
        }
        // Other identity events are not needed here; they are still recorded as consumed.
    }

    private void locationAdded(EventEnvelope event) {
        JsonNode data = event.data();
        String partnerId = text(data, "partnerId");
        KnownLocation location = KnownLocation.findById(partnerId);
        if (location == null) {
            location = new KnownLocation();
            location.partnerId = partnerId;
        }
        location.organizationId = UUID.fromString(text(data, "organizationId"));
        location.country = text(data, "country");
        location.partnerType = text(data, "partnerType");
        location.knownSince = event.occurredAt();
        location.sourceEventId = event.eventId();
        location.persist();
    }

    private static String text(JsonNode data, String field) {
        JsonNode value = data == null ? null : data.get(field);
        if (value == null || value.isNull() || value.asText().isBlank()) {
            throw new PoisonEventException("LocationAdded without " + field);
        }
        return value.asText();
    }
}
