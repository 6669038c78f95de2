package com.acme.incentives.enrollment.events;

import com.acme.incentives.enrollment.domain.PayoutProfileState;
import com.acme.incentives.enrollment.service.AuditLog;
import com.acme.incentives.enrollment.service.WebhookQueue;
import com.acme.incentives.enrollment.service.EnrollmentService;
import com.acme.incentives.enrollment.service.Notifications;
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

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * payout.events: PayoutProfileStatusChanged moves accepted enrolments (they wait for COMPLETE profiles to be
 * ENROLLED); TaxProfileExpiring, a tax profile that expired (a PayoutProfileStatusChanged to taxProfile EXPIRED),
 * BankProfileRejected (an operator's rejection of a payment profile), PaymentHeld, PaymentSent, PaymentRejected and
 * PaymentReturned are mailed to the partner ({@link Notifications});
 * AuditRecorded goes to the organizations' audit log ({@link AuditLog}). Other payment events are not needed here.
 */
@ApplicationScoped
public class PayoutEventsConsumer {

    static final String CONSUMER = "enrollment-service:payout-events";

    @Inject
    EventInbox inbox;

    @Inject
    EnrollmentService enrollments;

    @Inject
    Notifications notifications;

    @Inject
    AuditLog auditLog;

    @Inject
    WebhookQueue webhooks;

    @Incoming("payout-events")
    @Blocking
    public void onPayoutEvent(ConsumerRecord<String, String> record) {
        inbox.consume(CONSUMER, record, this::apply);
    }

    void apply(EventEnvelope event) {
        // the organization's subscribed webhook endpoints get it too, queued in this same transaction
        webhooks.queue(event);
        switch (event.type()) {
            case "PayoutProfileStatusChanged" -> profileChanged(event);
            case "TaxProfileExpiring" -> notifications.taxProfileExpiring(event.eventId(), organizationId(event),
                    Fields.text(event.data(), "partnerId", event.type()), localDate(event, "expiresOn"));
            case "PaymentHeld" -> notifications.paymentHeld(event.eventId(), payment(event),
                    textList(event.data(), "holdReasons"), optionalInstant(event, "forfeitsAt"));
            case "BankProfileRejected" -> notifications.bankProfileRejected(event.eventId(), organizationId(event),
                    Fields.text(event.data(), "name", event.type()), Fields.text(event.data(), "reason", event.type()));
            case "PaymentSent" -> notifications.paymentSent(event.eventId(), payment(event));
            case "PaymentRejected" -> notifications.paymentRejected(event.eventId(), payment(event), false,
                    optionalText(event.data(), "reason"));
            case "PaymentReturned", "PaymentReversed" -> notifications.paymentRejected(event.eventId(),
                    payment(event), true, optionalText(event.data(), "reason"));
            case AuditTrail.EVENT_TYPE -> auditLog.record(event);
            default -> {
                // not needed by enrollment; recorded as consumed all the same
            }
        }
    }

    /** The payment an event is about; programme, period and bank reference are optional (PaymentSent lacks two). */
    private static Notifications.Payment payment(EventEnvelope event) {
        JsonNode data = event.data();
        return new Notifications.Payment(organizationId(event), Fields.text(data, "partnerId", event.type()),
                optionalText(data, "programId"), optionalText(data, "period"),
                Fields.text(data, "amount", event.type()), Fields.text(data, "currency", event.type()),
                optionalText(data, "bankReference"));
    }

    private void profileChanged(EventEnvelope event) {
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
        String partnerId = Fields.text(data, "partnerId", event.type());
        boolean taxProfileExpired = enrollments.payoutProfileChanged(partnerId, status,
                optionalText(data, "taxProfile"), optionalText(data, "bankProfile"),
                Fields.number(data, "sequence", event.type()), changedAt);
        if (taxProfileExpired) {
            notifications.taxProfileExpired(event.eventId(), organizationId(event), partnerId);
        }
    }

    private static UUID organizationId(EventEnvelope event) {
        try {
            return UUID.fromString(Fields.text(event.data(), "organizationId", event.type()));
        } catch (IllegalArgumentException e) {
            throw new PoisonEventException(event.type() + " with an organizationId that is not a UUID");
        }
    }

    private static LocalDate localDate(EventEnvelope event, String field) {
        try {
            return LocalDate.parse(Fields.text(event.data(), field, event.type()));
        } catch (DateTimeParseException e) {
            throw new PoisonEventException(event.type() + " with an unreadable " + field);
        }
    }

    private static List<String> textList(JsonNode data, String field) {
        List<String> values = new ArrayList<>();
        data.path(field).forEach(value -> values.add(value.asText()));
        return values;
    }

    /** An optional instant (added to an event compatibly): null when absent or unreadable. */
    private static Instant optionalInstant(EventEnvelope event, String field) {
        String text = optionalText(event.data(), field);
        try {
            return text == null ? null : Instant.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String optionalText(JsonNode data, String field) {
        return data.hasNonNull(field) && data.get(field).isTextual() ? data.get(field).asText() : null;
    }
}
