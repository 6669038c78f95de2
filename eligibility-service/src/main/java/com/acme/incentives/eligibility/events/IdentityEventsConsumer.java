package com.acme.incentives.eligibility.events;

import com.acme.incentives.eligibility.domain.KnownLocation;
import com.acme.incentives.eligibility.domain.PartnerType;
import com.acme.incentives.eligibility.service.EligibilityEvaluator;
import com.acme.incentives.eligibility.service.FactStore;
import com.acme.incentives.platform.events.EventEnvelope;
import com.acme.incentives.platform.inbox.EventInbox;
import com.acme.incentives.platform.inbox.PoisonEventException;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/** Keeps the projection of identity-service's locations that eligibility is evaluated for. */
@ApplicationScoped
public class IdentityEventsConsumer {

    static final String CONSUMER = "eligibility-service:identity-events";

    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    @Inject
    EventInbox inbox;

    @Inject
    FactStore facts;

    @Inject
    EligibilityEvaluator evaluator;

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
        String partnerType = text(data, "partnerType");
        String country = text(data, "country");
        if (!partnerId.matches("[0-9]{1,12}")) {
            throw new PoisonEventException("LocationAdded with a partner ID that is not digits");
        }
        try {
            PartnerType.valueOf(partnerType);
        } catch (IllegalArgumentException e) {
            throw new PoisonEventException("LocationAdded with unknown partner type " + partnerType);
        }
        if (!COUNTRIES.contains(country)) {
            throw new PoisonEventException("LocationAdded with unknown country " + country);
        }
        UUID organizationId;
        try {
            organizationId = UUID.fromString(text(data, "organizationId"));
        } catch (IllegalArgumentException e) {
            throw new PoisonEventException("LocationAdded with an organizationId that is not a UUID");
        }
        // Same lock as the feed: facts fed before this event (kept while the location was unknown) are all seen.
        facts.lock(List.of(partnerId));
        KnownLocation location = KnownLocation.findById(partnerId);
        if (location == null) {
            location = new KnownLocation();
            location.partnerId = partnerId;
        }
        location.organizationId = organizationId;
        location.country = country;
        location.partnerType = partnerType;
        location.knownSince = event.occurredAt();
        location.sourceEventId = event.eventId();
        location.persist();
        location.flush();
        evaluator.reevaluate(List.of(partnerId), "LOCATION_ADDED");
    }

    private static String text(JsonNode data, String field) {
        JsonNode value = data == null ? null : data.get(field);
        if (value == null || value.isNull() || value.asText().isBlank()) {
            throw new PoisonEventException("LocationAdded without " + field);
        }
        return value.asText();
    }
}
