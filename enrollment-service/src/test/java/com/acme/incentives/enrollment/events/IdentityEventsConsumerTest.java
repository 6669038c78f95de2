package com.acme.incentives.enrollment.events;

import com.acme.incentives.enrollment.domain.PartnerLocation;
import com.acme.incentives.enrollment.domain.PartnerOrganization;
import com.acme.incentives.platform.testing.TestEvents;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** enrollment-service's directory of organizations and locations follows identity.events. */
@QuarkusTest
class IdentityEventsConsumerTest {

    @Test
    void organizationsAndLocationsAreProjected() {
        UUID org = UUID.randomUUID();
        String partnerId = String.valueOf(5_000_000_000L + (long) (Math.random() * 1_000_000_000L));
        Instant now = Instant.now();
        TestEvents.produce("identity.events", org.toString(), """
                {"eventId":"%s","type":"OrganizationRegistered","aggregateId":"%s","occurredAt":"%s","version":1,
                 "data":{"organizationId":"%s","name":"Proseware","primaryContactEmail":"ceo@proseware.example",
                         "primaryContactFirstName":"Pria","primaryContactLastName":"Sen","registeredAt":"%s"}}
                """.formatted(UUID.randomUUID(), org, now, org, now), Map.of());
        TestEvents.produce("identity.events", org.toString(), """
                {"eventId":"%s","type":"LocationAdded","aggregateId":"%s","occurredAt":"%s","version":1,
                 "data":{"organizationId":"%s","partnerId":"%s","name":"Proseware Oslo","country":"NO",
                         "partnerType":"DIRECT_BILL","addedAt":"%s"}}
                """.formatted(UUID.randomUUID(), org, now, org, partnerId, now), Map.of());

        await().atMost(Duration.ofSeconds(30)).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> PartnerLocation.findById(partnerId) != null));
        QuarkusTransaction.requiringNew().run(() -> {
            PartnerOrganization organization = PartnerOrganization.findById(org);
            assertThat(organization.primaryContactEmail).isEqualTo("ceo@proseware.example");
            assertThat(organization.primaryContactName).isEqualTo("Pria Sen");
            PartnerLocation location = PartnerLocation.findById(partnerId);
            assertThat(location.organizationId).isEqualTo(org);
            assertThat(location.partnerType).isEqualTo("DIRECT_BILL");
        });
    }

    @Test
    void theServiceIsReady() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
