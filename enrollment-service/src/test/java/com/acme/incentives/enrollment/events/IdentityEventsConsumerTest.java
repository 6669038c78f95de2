package com.acme.incentives.enrollment.events;

import com.acme.incentives.enrollment.EnrollmentFixture;
import com.acme.incentives.enrollment.domain.MailLanguage;
import com.acme.incentives.enrollment.domain.OrganizationUser;
import com.acme.incentives.enrollment.domain.PartnerLocation;
import com.acme.incentives.enrollment.domain.PartnerOrganization;
import com.acme.incentives.platform.testing.TestEvents;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
    void aUsersLanguageFollowsUserCreatedAndUserLocaleChanged() {
        UUID org = UUID.randomUUID();
        String userId = UUID.randomUUID().toString();
        String email = "yuki-" + userId + "@partner.example";
        Map<String, Object> created = new HashMap<>(Map.of("organizationId", org.toString(), "userId", userId,
                "email", email, "firstName", "Yuki", "lastName", "Sato", "roles", List.of("INCENTIVE_ADMIN"),
                "locations", List.of(), "createdBy", "test", "createdAt", Instant.now().toString(), "locale", "ja"));
        EnrollmentFixture.produce("identity.events", org.toString(), "UserCreated", org.toString(), created);
        awaitLocale(userId, "ja");

        EnrollmentFixture.produce("identity.events", org.toString(), "UserLocaleChanged", org.toString(),
                localeChanged(org, userId, email, "ko"));
        awaitLocale(userId, "ko");
        // A role change carries no locale and keeps the user's.
        EnrollmentFixture.identityUser("RolesChanged", org, userId, email, List.of("GLOBAL_ADMIN"));
        awaitLocale(userId, "ko");
        // A language we have no templates for counts as none (English), as does a removed choice.
        EnrollmentFixture.produce("identity.events", org.toString(), "UserLocaleChanged", org.toString(),
                localeChanged(org, userId, email, "ja"));
        awaitLocale(userId, "ja");
        EnrollmentFixture.produce("identity.events", org.toString(), "UserLocaleChanged", org.toString(),
                localeChanged(org, userId, email, "fr"));
        awaitLocale(userId, null);
        EnrollmentFixture.produce("identity.events", org.toString(), "UserLocaleChanged", org.toString(),
                localeChanged(org, userId, email, "ja"));
        awaitLocale(userId, "ja");
        EnrollmentFixture.produce("identity.events", org.toString(), "UserLocaleChanged", org.toString(),
                localeChanged(org, userId, email, null));
        awaitLocale(userId, null);

        // An event from before identity published locales: no language.
        String older = UUID.randomUUID().toString();
        EnrollmentFixture.identityUser("UserCreated", org, older, "old-" + older + "@partner.example",
                List.of("INCENTIVE_USER"));
        QuarkusTransaction.requiringNew().run(() -> {
            OrganizationUser user = OrganizationUser.findById(older);
            assertThat(user.locale).isNull();
            assertThat(user.language(MailLanguage.EN)).isEqualTo(MailLanguage.EN);
            assertThat(user.language(MailLanguage.JA)).as("no choice: the country's").isEqualTo(MailLanguage.JA);
        });
    }

    private static Map<String, Object> localeChanged(UUID org, String userId, String email, String locale) {
        Map<String, Object> data = new HashMap<>(Map.of("organizationId", org.toString(), "userId", userId,
                "email", email, "changedBy", userId, "changedAt", Instant.now().toString()));
        data.put("locale", locale);
        return data;
    }

    private static void awaitLocale(String userId, String locale) {
        await().atMost(Duration.ofSeconds(60)).until(() -> QuarkusTransaction.requiringNew().call(() -> {
            OrganizationUser user = OrganizationUser.findById(userId);
            return user != null && Objects.equals(user.locale, locale);
        }));
    }

    @Test
    void theServiceIsReady() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        // Its Kafka channels are not part of readiness (platform microprofile-config.properties: the outbox and the
        // consumers ride out a Kafka outage, the API must not), but a channel that failed for good is in liveness.
        String ready = given().get("/q/health/ready").asString();
        String live = given().get("/q/health/live").then().statusCode(200).extract().asString();
        for (String channel : List.of("identity-events", "eligibility-events", "payout-events", "enrollment-events")) {
            assertThat(ready).as("readiness").doesNotContain(channel);
            assertThat(live).as("liveness").contains(channel);
        }
    }
}
