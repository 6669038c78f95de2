package com.acme.incentives.enrollment.events;

import com.acme.incentives.enrollment.service.AuditLog;
import com.acme.incentives.enrollment.service.EnrollmentService;
import com.acme.incentives.enrollment.webhooks.WebhookQueue;
import com.acme.incentives.platform.audit.AuditTrail;
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

/** EligibilityChanged from eligibility-service: invites newly eligible locations, moves enrolments in and out of
 * INELIGIBLE. Staleness (sequence) is decided by {@link EnrollmentService#eligibilityChanged}. */
@ApplicationScoped
public class EligibilityEventsConsumer {

    static final String CONSUMER = "enrollment-service:eligibility-events";

    @Inject
    EventInbox inbox;

    @Inject
    EventPayloads payloads;

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

    /**
     * eligibility-service's EligibilityChanged, as far as enrollment reads it (docs/events.md); {@code programName} was
     * added later: null when absent, so the programme keeps the name known so far.
     */
    record EligibilityChanged(@NotBlank String partnerId, @NotNull UUID organizationId, @NotBlank String programId,
            @NotNull Boolean eligible, @NotNull Long sequence, String programName) {
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
        EligibilityChanged changed = payloads.read(event, EligibilityChanged.class);
        enrollments.eligibilityChanged(changed.partnerId(), changed.organizationId(), changed.programId(),
                changed.eligible(), changed.sequence(), changed.programName());
    }
}
