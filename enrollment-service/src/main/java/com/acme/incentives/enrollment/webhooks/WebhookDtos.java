package com.acme.incentives.enrollment.webhooks;

import com.acme.incentives.enrollment.domain.WebhookMessage;
import com.acme.incentives.platform.idempotency.OneTimeSecret;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Requests and answers of the webhook API (entities never leave the service; secrets only when made). */
public final class WebhookDtos {

    private WebhookDtos() {
    }

    public record CreateEndpoint(
            @Schema(description = "Where deliveries are POSTed: an https URL whose host resolves to public addresses"
                    + " only", examples = "https://erp.example.com/hooks/incentives")
            @NotBlank @Size(max = 2000) String url,
            @Schema(description = "Event types to receive (payment.issued, payment.held, payment.sent, payment.paid,"
                    + " payment.rejected, payment.returned, payment.forfeited, payout-profile.changed,"
                    + " enrollment.changed, eligibility.changed, invitation.issued)")
            @NotEmpty @Size(max = 20) List<@NotBlank @Size(max = 100) String> eventTypes,
            @Size(max = 500) String description) {
    }

    /** A change: each member given replaces the endpoint's; absent (or null) ones stay. */
    public record UpdateEndpoint(
            @Size(min = 1, max = 2000) String url,
            @Size(min = 1, max = 20) List<@NotBlank @Size(max = 100) String> eventTypes,
            @Size(max = 500) String description,
            @Schema(description = "false stops deliveries; true enables it again and forgets its failure streak")
            Boolean enabled) {
    }

    @Schema(requiredProperties = { "id", "organizationId", "url", "eventTypes", "enabled", "version", "createdAt",
            "updatedAt" })
    public record EndpointView(UUID id, UUID organizationId, String url, String description, List<String> eventTypes,
            boolean enabled,
            @Schema(description = "Why the service disabled it (every delivery failed for days); null when enabled or"
                    + " disabled by a user") String disabledReason,
            Instant disabledAt,
            @Schema(description = "Until when the previous secret still signs too, after a rotation")
            Instant previousSecretExpiresAt,
            long version, Instant createdAt, String createdBy, Instant updatedAt) {
    }

    /** The answer to a registration: the endpoint and its signing secret, shown this once. */
    @Schema(requiredProperties = { "id", "organizationId", "url", "eventTypes", "enabled", "version", "createdAt",
            "updatedAt" })
    public record CreatedEndpoint(UUID id, UUID organizationId, String url, String description,
            List<String> eventTypes, boolean enabled, String disabledReason, Instant disabledAt,
            Instant previousSecretExpiresAt, long version, Instant createdAt, String createdBy, Instant updatedAt,
            @Schema(description = "The signing secret (whsec_ + base64 of 32 bytes): shown in this answer only, never"
                    + " again; absent when an Idempotency-Key replays the answer") String secret)
            implements OneTimeSecret {
        public static CreatedEndpoint of(EndpointView v, String secret) {
            return new CreatedEndpoint(v.id(), v.organizationId(), v.url(), v.description(), v.eventTypes(),
                    v.enabled(), v.disabledReason(), v.disabledAt(), v.previousSecretExpiresAt(), v.version(),
                    v.createdAt(), v.createdBy(), v.updatedAt(), secret);
        }

        @Override
        public Object withoutSecret() {
            return new CreatedEndpoint(id, organizationId, url, description, eventTypes, enabled, disabledReason,
                    disabledAt, previousSecretExpiresAt, version, createdAt, createdBy, updatedAt, null);
        }
    }

    /** The answer to a rotation: the new secret, shown this once; the previous one signs too until the time given. */
    @Schema(requiredProperties = { "endpointId", "previousSecretExpiresAt" })
    public record SecretRotation(UUID endpointId,
            @Schema(description = "The new signing secret: shown in this answer only; absent in a replay") String secret,
            Instant previousSecretExpiresAt) implements OneTimeSecret {
        @Override
        public Object withoutSecret() {
            return new SecretRotation(endpointId, null, previousSecretExpiresAt);
        }
    }

    @Schema(name = "WebhookAttempt", requiredProperties = { "at", "latencyMs" })
    public record AttemptView(Instant at,
            @Schema(description = "The endpoint's answer; null when none came (timeout, connection refused, ...)")
            Integer statusCode,
            @Schema(description = "What went wrong: the error, or the start of a non-2xx answer's body") String error,
            long latencyMs) {
    }

    @Schema(name = "WebhookDelivery", requiredProperties = { "messageId", "eventType", "eventId", "resourceKey",
            "status", "attemptCount", "createdAt", "attempts" })
    public record DeliveryView(
            @Schema(description = "The webhook-id header, the same on every attempt", examples = "msg_2b5d…")
            String messageId, String eventType, UUID eventId,
            @Schema(description = "What the deliveries are kept in order for (a payment's, enrolment's, invitation's"
                    + " id; a location's partner ID; partnerId/programId for eligibility)") String resourceKey,
            @Schema(implementation = WebhookMessage.Status.class) String status, int attemptCount,
            Instant nextAttemptAt, Instant createdAt, Instant deliveredAt, List<AttemptView> attempts) {
    }
}
