package com.acme.incentives.enrollment.webhooks;

import com.acme.incentives.enrollment.EnrollmentFixture;
import com.acme.incentives.enrollment.webhooks.WebhookReceiver.Request;
import com.acme.incentives.platform.security.Roles;
import com.acme.incentives.platform.testing.TestUsers;
import com.acme.incentives.platform.testing.TestUsers.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.acme.incentives.enrollment.EnrollmentFixture.produce;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A webhook message goes out when the transaction that queued it commits (WebhookQueue wakes WebhookDelivery), not at
 * the worker's next tick: here the tick is an hour away, and the message still arrives.
 */
@QuarkusTest
@TestProfile(WebhookWakeUpTest.TickAnHourAway.class)
class WebhookWakeUpTest {

    public static class TickAnHourAway implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("enrollment.webhooks.every", "1h");
        }
    }

    @Test
    void aQueuedMessageIsDeliveredOnItsCommitWithoutWaitingForTheTick() throws Exception {
        UUID org = UUID.randomUUID();
        TestUser admin = TestUsers.create(org, Roles.GLOBAL_ADMIN);
        try (WebhookReceiver receiver = new WebhookReceiver(0)) {
            String secret = given().auth().oauth2(admin.token()).contentType("application/json")
                    .body(Map.of("url", receiver.url(), "eventTypes", List.of("payment.issued"),
                            "description", "ERP"))
                    .post("/api/v1/organizations/" + org + "/webhook-endpoints")
                    .then().statusCode(201).extract().jsonPath().getString("secret");
            receiver.trust(secret);
            String partnerId = EnrollmentFixture.newPartnerId();
            String paymentId = UUID.randomUUID().toString();
            produce("payout.events", partnerId, "PaymentIssued", paymentId, Map.of("paymentId", paymentId,
                    "organizationId", org.toString(), "partnerId", partnerId, "amount", "100.00", "currency", "EUR",
                    "at", Instant.now().toString()));

            // An upper bound for the consumer to reach the event (the shared topic may hold a backlog), far below the
            // hour a tick would take.
            await().atMost(Duration.ofMinutes(3)).until(() -> receiver.applied().size() == 1);
            assertThat(receiver.requests()).allMatch(Request::verified);
            assertThat(receiver.applied().values()).singleElement().asString().contains(paymentId);
        }
    }
}
