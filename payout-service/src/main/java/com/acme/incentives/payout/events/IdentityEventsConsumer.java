package com.acme.incentives.payout.events;

import com.acme.incentives.payout.domain.PartnerLocation;
import com.acme.incentives.platform.events.EventEnvelope;
import com.acme.incentives.platform.inbox.EventInbox;
import com.acme.incentives.platform.inbox.EventPayloads;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.UUID;

/** Keeps payout's list of known locations (earnings for unknown locations are refused) from identity's events. */
@ApplicationScoped
public class IdentityEventsConsumer {

    static final String CONSUMER = "payout-service:identity-events";

    @Inject
    EventInbox inbox;

    @Inject
    EventPayloads payloads;

    @Incoming("identity-events")
    @Blocking
    public void onIdentityEvent(ConsumerRecord<String, String> record) {
        inbox.consume(CONSUMER, record, this::apply);
    }

    /** identity-service's LocationAdded, as far as payout reads it (docs/events.md). */
    record LocationAdded(@NotBlank String partnerId, @NotNull UUID organizationId, @NotBlank String name,
            @NotBlank String country, @NotBlank String partnerType) {
    }

    void apply(EventEnvelope event) {
        if (!"LocationAdded".equals(event.type())) {
            return; // not needed by payout (yet); recorded as consumed all the same
        }
        LocationAdded added = payloads.read(event, LocationAdded.class);
        PartnerLocation location = PartnerLocation.findById(added.partnerId());
        if (location == null) {
            location = new PartnerLocation();
            location.partnerId = added.partnerId();
        }
        location.organizationId = added.organizationId();
        location.name = added.name();
        location.country = added.country();
        location.partnerType = added.partnerType();
        location.addedAt = event.occurredAt();
        location.persist();
    }
}
