package com.acme.incentives.enrollment.events;

import com.acme.incentives.enrollment.domain.PartnerLocation;
import com.acme.incentives.enrollment.domain.PartnerOrganization;
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

/** Keeps enrollment's directory of partner organizations and locations from identity-service's events. */
@ApplicationScoped
public class IdentityEventsConsumer {

    static final String CONSUMER = "enrollment-service:identity-events";

    @Inject
    EventInbox inbox;

    @Incoming("identity-events")
    @Blocking
    public void onIdentityEvent(ConsumerRecord<String, String> record) {
        inbox.consume(CONSUMER, record, this::apply);
    }

    void apply(EventEnvelope event) {
        switch (event.type()) {
            case "OrganizationRegistered" -> organizationRegistered(event.data(), event);
            case "LocationAdded" -> locationAdded(event.data(), event);
            default -> {
                // not needed by enrollment (yet); recorded as consumed all the same
            }
        }
    }

    private void organizationRegistered(JsonNode data, EventEnvelope event) {
        UUID id = UUID.fromString(text(data, "organizationId"));
        PartnerOrganization organization = PartnerOrganization.findById(id);
        if (organization == null) {
            organization = new PartnerOrganization();
            organization.id = id;
        }
        organization.name = text(data, "name");
        organization.primaryContactEmail = text(data, "primaryContactEmail");
        organization.primaryContactName = text(data, "primaryContactFirstName") + " "
                + text(data, "primaryContactLastName");
        organization.registeredAt = event.occurredAt();
        organization.persist();
    }

    private void locationAdded(JsonNode data, EventEnvelope event) {
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
            throw new PoisonEventException("Identity event without " + field);
        }
        return value.asText();
    }
}
