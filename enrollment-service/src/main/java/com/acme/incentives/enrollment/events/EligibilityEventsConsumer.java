package com.acme.incentives.enrollment.events;

import com.acme.incentives.enrollment.service.AuditLog;
import com.acme.incentives.enrollment.service.WebhookQueue;
import com.acme.incentives.enrollment.service.EnrollmentService;
import com.acme.incentives.platform.audit.AuditTrail;
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

/** EligibilityChanged from eligibility-service: invites newly eligible locations, moves enrolments in and out of
 * INELIGIBLE. Staleness (sequence) is decided by {@link EnrollmentService#eligibilityChanged}. */
@ApplicationScoped
public class EligibilityEventsConsumer {

    static final String CONSUMER = "enrollment-service:eligibility-events";

    @Inject
    EventInbox inbox;

    @Inject
    EnrollmentService enrollments;

    @Inject
    AuditLog auditLog;

    @Inject
    WebhookQueue webhooks;

    @Incoming("eligibility-events")
    @Blocking
    public void onEligibilityEvent(ConsumerRecord<String, String> record) {
        inbox.consume(CONSUMER, record, this::apply);
    }

    /** Optional (added to the event later): null when absent, so the programme keeps the name known so far. */
    private static String programName(JsonNode data) {
        JsonNode value = data.get("programName");
        return value == null || !value.isTextual() || value.asText().isBlank() ? null : value.asText();
    }

    void apply(EventEnvelope event) {
        // the organization's subscribed webhook endpoints get it too, queued in this same transaction
        webhooks.queue(event);
        if (AuditTrail.EVENT_TYPE.equals(event.type())) {
            // eligibility-service records none today (its writers are machines and operators' programmes, no
            // organization's data), but any service's entries take this path the day it does
            auditLog.record(event);
            return;
        }
        if (!"EligibilityChanged".equals(event.type())) {
            return; // unknown types are ignored (docs/events.md)
        }
        JsonNode data = event.data();
        UUID organizationId;
        try {
            organizationId = UUID.fromString(Fields.text(data, "organizationId", event.type()));
        } catch (IllegalArgumentException e) {
            throw new PoisonEventException("EligibilityChanged with an organizationId that is not a UUID");
        }
        JsonNode eligible = data.get("eligible");
        if (eligible == null || !eligible.isBoolean()) {
            throw new PoisonEventException("EligibilityChanged without a boolean eligible");
        }
        enrollments.eligibilityChanged(Fields.text(data, "partnerId", event.type()), organizationId,
                Fields.text(data, "programId", event.type()), eligible.booleanValue(),
                Fields.number(data, "sequence", event.type()), programName(data));
    }
}
