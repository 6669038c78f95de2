package com.acme.incentives.enrollment.events;

import com.acme.incentives.enrollment.domain.PayoutProfileState;
import com.acme.incentives.enrollment.service.EnrollmentService;
import com.acme.incentives.platform.events.EventEnvelope;
import com.acme.incentives.platform.inbox.EventInbox;
import com.acme.incentives.platform.inbox.PoisonEventException;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Instant;

/** PayoutProfileStatusChanged from payout-service: an accepted enrolment waits for COMPLETE profiles to be ENROLLED.
 * Payment events are not needed here. */
@ApplicationScoped
public class PayoutEventsConsumer {

    static final String CONSUMER = "enrollment-service:payout-events";

    @Inject
    EventInbox inbox;

    @Inject
    EnrollmentService enrollments;

    @Incoming("payout-events")
    @Blocking
    public void onPayoutEvent(ConsumerRecord<String, String> record) {
        inbox.consume(CONSUMER, record, this::apply);
    }

    void apply(EventEnvelope event) {
        if (!"PayoutProfileStatusChanged".equals(event.type())) {
            return;
        }
        JsonNode data = event.data();
        PayoutProfileState status;
        try {
            status = PayoutProfileState.valueOf(Fields.text(data, "status", event.type()));
        } catch (IllegalArgumentException e) {
            throw new PoisonEventException("PayoutProfileStatusChanged with an unknown status");
        }
        Instant changedAt;
        try {
            changedAt = data.hasNonNull("changedAt") ? Instant.parse(data.get("changedAt").asText())
                    : event.occurredAt();
        } catch (RuntimeException e) {
            throw new PoisonEventException("PayoutProfileStatusChanged with an unreadable changedAt");
        }
        // taxProfile and bankProfile say which profile is missing or refused (ACTION_REQUIRED's required actions);
        // optional, so an event without them still moves the enrolment.
        enrollments.payoutProfileChanged(Fields.text(data, "partnerId", event.type()), status,
                optionalText(data, "taxProfile"), optionalText(data, "bankProfile"),
                Fields.number(data, "sequence", event.type()), changedAt);
    }

    private static String optionalText(JsonNode data, String field) {
        return data.hasNonNull(field) && data.get(field).isTextual() ? data.get(field).asText() : null;
    }
}
