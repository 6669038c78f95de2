package com.acme.incentives.enrollment.domain;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The event types an endpoint can subscribe to: each is a consumed event, and its resource key (the thing whose
 * deliveries stay in order) is read from the event's data.
 */
public enum WebhookEventType {
    PAYMENT_ISSUED("payment.issued", "PaymentIssued", field("paymentId")),
    PAYMENT_HELD("payment.held", "PaymentHeld", field("paymentId")),
    PAYMENT_SENT("payment.sent", "PaymentSent", field("paymentId")),
    PAYMENT_PAID("payment.paid", "PaymentPaid", field("paymentId")),
    PAYMENT_REJECTED("payment.rejected", "PaymentRejected", field("paymentId")),
    PAYMENT_RETURNED("payment.returned", "PaymentReturned", field("paymentId")),
    PAYMENT_FORFEITED("payment.forfeited", "PaymentForfeited", field("paymentId")),
    PAYOUT_PROFILE_CHANGED("payout-profile.changed", "PayoutProfileStatusChanged", field("partnerId")),
    ENROLLMENT_CHANGED("enrollment.changed", "EnrollmentChanged", field("enrollmentId")),
    ELIGIBILITY_CHANGED("eligibility.changed", "EligibilityChanged",
            data -> text(data, "partnerId") == null || text(data, "programId") == null ? null
                    : text(data, "partnerId") + "/" + text(data, "programId")),
    INVITATION_ISSUED("invitation.issued", "InvitationIssued", field("invitationId"));

    /** The name an endpoint subscribes to and the payload's {@code type}. */
    public final String subscription;
    /** The consumed event's type (docs/events.md). */
    public final String eventType;
    private final Function<JsonNode, String> resourceKey;

    WebhookEventType(String subscription, String eventType, Function<JsonNode, String> resourceKey) {
        this.subscription = subscription;
        this.eventType = eventType;
        this.resourceKey = resourceKey;
    }

    public static List<String> subscriptions() {
        return Arrays.stream(values()).map(t -> t.subscription).toList();
    }

    public static Optional<WebhookEventType> ofSubscription(String name) {
        return Arrays.stream(values()).filter(t -> t.subscription.equals(name)).findFirst();
    }

    public static Optional<WebhookEventType> ofEvent(String eventType) {
        return Arrays.stream(values()).filter(t -> t.eventType.equals(eventType)).findFirst();
    }

    /** The resource key of an event of this type, or null when its data lacks it. */
    public String resourceKey(JsonNode data) {
        return resourceKey.apply(data);
    }

    private static Function<JsonNode, String> field(String name) {
        return data -> text(data, name);
    }

    private static String text(JsonNode data, String name) {
        JsonNode value = data == null ? null : data.get(name);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }
}
