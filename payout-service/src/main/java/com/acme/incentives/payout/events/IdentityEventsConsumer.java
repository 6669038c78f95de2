package com.acme.incentives.payout.events;

import com.acme.incentives.payout.domain.PartnerLocation;
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

/** Keeps payout's list of known locations (earnings for unknown locations are refused) from identity's events. */
@ApplicationScoped
public class IdentityEventsConsumer {

    static final String CONSUMER = "payout-service:identity-events";

    @Inject
    EventInbox inbox;

    @Incoming("identity-events")
    @Blocking
    public void onIdentityEvent(ConsumerRecord<String, String> record) {
        inbox.consume(CONSUMER, record, this::apply);
    }

    void apply(EventEnvelope event) {
        if (!"LocationAdded".equals(event.type())) {
            return; // not needed by payout (yet); recorded as consumed all the same
        }
        JsonNode data = event.data();
        String partnerId = text(data, "partnerId");
        PartnerLocation location = PartnerLocation.findById(partnerId);
        if (location == null) {
            location = new PartnerLocation();
            location.partnerId = partnerId;
        }
        location.organizationId = UUID.fromString(text(data, "organizationId"));
        location.name = text(data, "name");
        location.country = text(data, "country");
        location.partnerType = text(data, "partnerType");
        location.addedAt = event.occurredAt();
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
