package com.acme.incentives.eligibility.events;

import com.acme.incentives.eligibility.domain.PartnerLocation;
import com.acme.incentives.eligibility.domain.PartnerType;
import com.acme.incentives.eligibility.service.EligibilityEvaluator;
import com.acme.incentives.eligibility.service.FactStore;
import com.acme.incentives.platform.events.EventEnvelope;
import com.acme.incentives.platform.inbox.EventInbox;
import com.acme.incentives.platform.inbox.EventPayloads;
import com.acme.incentives.platform.inbox.PoisonEventException;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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
    EventPayloads payloads;

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

    /** identity-service's LocationAdded, as far as eligibility reads it (docs/events.md). */
    record LocationAdded(@NotNull @Pattern(regexp = "[0-9]{1,12}") String partnerId, @NotNull UUID organizationId,
            @NotNull PartnerType partnerType, @NotBlank String country) {
    }

    private void locationAdded(EventEnvelope event) {
        LocationAdded added = payloads.read(event, LocationAdded.class);
        String partnerId = added.partnerId();
        String country = added.country();
        if (!COUNTRIES.contains(country)) {
            throw new PoisonEventException("LocationAdded with unknown country " + country);
        }
        // Same lock as the feed: facts fed before this event (kept while the location was unknown) are all seen.
        facts.lock(List.of(partnerId));
        PartnerLocation location = PartnerLocation.findById(partnerId);
        if (location == null) {
            location = new PartnerLocation();
            location.partnerId = partnerId;
        }
        location.organizationId = added.organizationId();
        location.country = country;
        location.partnerType = added.partnerType().name();
        location.knownSince = event.occurredAt();
        location.sourceEventId = event.eventId();
        location.persist();
        location.flush();
        evaluator.reevaluate(List.of(partnerId), "LOCATION_ADDED");
    }
}
