package com.acme.incentives.enrollment.events;

import com.acme.incentives.enrollment.service.AuditLog;
import com.acme.incentives.enrollment.webhooks.WebhookQueue;
import com.acme.incentives.platform.audit.AuditTrail;
import com.acme.incentives.platform.events.EventEnvelope;
import com.acme.incentives.platform.inbox.EventInbox;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * enrollment.events, this service's own topic: its own AuditRecorded entries (sign-ups, withdrawals, migration steps)
 * reach the organizations' audit log the way every other service's do, through the topic and the inbox, rather than
 * by a second write path; InvitationIssued and EnrollmentChanged go to the organizations' webhook endpoints the same
 * way (once committed and published, like every other service's events). Every other type is ignored here.
 */
@ApplicationScoped
public class EnrollmentEventsConsumer {

    static final String CONSUMER = "enrollment-service:enrollment-events";

    @Inject
    EventInbox inbox;

    @Inject
    AuditLog auditLog;

    @Inject
    WebhookQueue webhooks;

    @Incoming("enrollment-events")
    @Blocking
    public void onEnrollmentEvent(ConsumerRecord<String, String> record) {
        inbox.consume(CONSUMER, record, this::apply);
    }

    void apply(EventEnvelope event) {
        // the organization's subscribed webhook endpoints get it too, queued in this same transaction
        webhooks.queue(event);
        if (AuditTrail.EVENT_TYPE.equals(event.type())) {
            auditLog.record(event);
        }
    }
}
