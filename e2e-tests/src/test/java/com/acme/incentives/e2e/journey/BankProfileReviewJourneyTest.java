package com.acme.incentives.e2e.journey;

import com.acme.incentives.e2e.RunningPlatform;
import com.acme.incentives.e2e.support.Gateway;
import com.acme.incentives.e2e.support.Mailbox;
import com.acme.incentives.e2e.support.Organizations;
import com.acme.incentives.e2e.support.SampleBodies;
import com.acme.incentives.e2e.support.SecretsSeen;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The operators' review of bank profiles the automatic checks cannot settle, through the gateway: a Dutch
 * organization's account in Germany waits in the queue (its location VALIDATING), an operator refuses it with a reason
 * the partner reads in their language, the partner corrects it to a Dutch account (approved without review); a second
 * foreign account is approved by the operator. The partner is emailed the refusal. Partners cannot see the queue or
 * decide; every step is in the organization's audit log.
 */
class BankProfileReviewJourneyTest {

    private static final String DUTCH_IBAN = "NL91ABNA0417164300";
    private static final String GERMAN_IBAN = "DE89370400440532013000";

    @BeforeAll
    static void platform() {
        RunningPlatform.ensureStarted();
    }

    @Test
    void anOperatorRefusesAForeignAccountWithAReasonAndApprovesAnother() throws Exception {
        String operator = TestTokens.operator();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String partnerId = Organizations.newPartnerId();
        String primaryEmail = "rev-" + run + "@review.example";
        String orgId = Organizations.register(operator, "Review " + run, primaryEmail, "Ria", "Review").id();
        Organizations.addLocation(operator, orgId, partnerId, "Review Rotterdam", "NL");
        var admin = TestUsers.create(UUID.fromString(orgId), List.of("GLOBAL_ADMIN", "INCENTIVE_ADMIN"), List.of());
        SecretsSeen.remember(admin.password());
        String adminToken = admin.token();
        SecretsSeen.remember(GERMAN_IBAN);
        SecretsSeen.remember(DUTCH_IBAN);

        // 1. The location's tax profile, accepted once payout-service has learnt of the location (through Kafka), so
        //    that the country check knows it; then an account in Germany: the checks find nothing wrong, but a Dutch
        //    partner paid in Germany needs a person's look.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> bearer(adminToken)
                .body(Map.of("partnerId", partnerId, "country", "NL", "taxForm", "W8BENE", "taxId", "NL123456789B01",
                        "expiresOn", LocalDate.now(ZoneOffset.UTC).plusYears(1).toString()))
                .post("/api/v1/organizations/" + orgId + "/tax-profiles").statusCode() == 201);
        String profileId = createGermanAccount(adminToken, orgId, "Frankfurt account " + run);
        JsonNode inReview = awaitStatus(adminToken, orgId, profileId, "IN_REVIEW");
        assertThat(inReview.path("statusReasonCode").asText()).isEqualTo("FOREIGN_BANK_COUNTRY");
        assertThat(inReview.path("review").path("reason").asText()).isEqualTo("FOREIGN_BANK_COUNTRY");

        // 2. The queue across organizations, narrowed to this one: the profile, its masked account, the version to
        //    decide on. Partners may not read it.
        JsonNode queue = json(bearer(operator).get("/api/v1/payment-profile-reviews?organizationId=" + orgId));
        assertThat(queue.path("totalItems").asInt()).isEqualTo(1);
        JsonNode item = queue.path("items").get(0);
        assertThat(item.path("id").asText()).isEqualTo(profileId);
        assertThat(item.path("reasonCode").asText()).isEqualTo("FOREIGN_BANK_COUNTRY");
        assertThat(item.toString()).doesNotContain(GERMAN_IBAN).contains("3000");
        int version = item.path("version").asInt();
        bearer(adminToken).get("/api/v1/payment-profile-reviews").then().statusCode(403)
                .contentType(containsString("application/problem+json"));
        bearer(adminToken).header("If-Match", "\"" + version + "\"").body(Map.of())
                .post("/api/v1/payment-profiles/" + profileId + "/approve").then().statusCode(403);

        // 3. Refused with a reason: ACTION_REQUIRED, the reason in the partner's sentence, in their language.
        String reason = "Please give an account in the Netherlands " + run;
        bearer(operator).header("If-Match", "\"" + version + "\"").header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("reason", reason)).post("/api/v1/payment-profiles/" + profileId + "/reject").then()
                .statusCode(200).body("status", equalTo("ACTION_REQUIRED"))
                .body("statusReasonCode", equalTo("OPERATOR_REJECTED"));
        // (decided once: the same decision again is a conflict, not a second refusal)
        bearer(operator).header("If-Match", "\"" + version + "\"").header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("reason", reason)).post("/api/v1/payment-profiles/" + profileId + "/reject").then()
                .statusCode(409).contentType(containsString("application/problem+json"));
        JsonNode refused = json(bearer(adminToken).header("Accept-Language", "ja")
                .get("/api/v1/organizations/" + orgId + "/payment-profiles/" + profileId));
        assertThat(refused.path("status").asText()).isEqualTo("ACTION_REQUIRED");
        assertThat(refused.path("statusReason").asText()).contains(reason).containsPattern("\\p{IsHan}|\\p{IsHiragana}|\\p{IsKatakana}");
        assertThat(refused.path("review").path("note").asText()).isEqualTo(reason);
        bearer(operator).get("/api/v1/payment-profile-reviews?organizationId=" + orgId).then().statusCode(200)
                .body("totalItems", equalTo(0));
        // ... and by email, once, with the operator's words (no incentive admin is known yet: the primary contact).
        JsonNode mail = Mailbox.onlyMessage(primaryEmail, "Frankfurt account " + run, "needs a correction");
        assertThat(mail.toString()).contains(reason);

        // 4. The partner corrects it to a Dutch account: approved by the automatic checks, no review.
        Map<String, Object> dutch = Map.of("name", "Rotterdam account " + run, "bankCountry", "NL", "currency", "EUR",
                "method", "BANK_TRANSFER", "iban", DUTCH_IBAN, "bic", "ABNANL2A", "beneficiary", "Review B.V.");
        bearer(adminToken).header("If-Match", "\"" + refused.path("version").asInt() + "\"").body(dutch)
                .put("/api/v1/organizations/" + orgId + "/payment-profiles/" + profileId).then().statusCode(200);
        awaitStatus(adminToken, orgId, profileId, "APPROVED");

        // 5. Another account in Germany, approved by the operator with a note.
        String secondId = createGermanAccount(adminToken, orgId, "Second Frankfurt account " + run);
        int secondVersion = awaitStatus(adminToken, orgId, secondId, "IN_REVIEW").path("version").asInt();
        bearer(operator).header("If-Match", "\"" + (secondVersion + 1) + "\"").body(Map.of())
                .post("/api/v1/payment-profiles/" + secondId + "/approve").then().statusCode(412);
        bearer(operator).header("If-Match", "\"" + secondVersion + "\"").header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("note", "Group treasury in Frankfurt, confirmed by phone"))
                .post("/api/v1/payment-profiles/" + secondId + "/approve").then().statusCode(200)
                .body("status", equalTo("APPROVED"));
        awaitStatus(adminToken, orgId, secondId, "APPROVED");

        // 6. The organization's audit log tells the story of the first profile: the partner's creation and
        //    correction, the operator's refusal with its reason; and the operator's approval of the second.
        List<String> story = new java.util.ArrayList<>();
        String[] raw = new String[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            story.clear();
            JsonNode entries = json(bearer(adminToken).get("/api/v1/organizations/" + orgId
                    + "/audit-log?service=payout-service&sort=occurredAt,asc&size=50"));
            raw[0] = entries.toString();
            for (JsonNode entry : entries.path("items")) {
                if (entry.path("action").asText().startsWith("BANK_PROFILE_")) {
                    story.add(entry.path("action").asText() + " " + entry.path("actorKind").asText() + " "
                            + (entry.path("targetId").asText().equals(profileId) ? "first" : "second") + " "
                            + entry.path("details").path("reason").asText(""));
                }
            }
            assertThat(story).hasSize(5);
        });
        assertThat(story).containsExactly("BANK_PROFILE_CREATED USER first ",
                "BANK_PROFILE_REJECTED OPERATOR first " + reason, "BANK_PROFILE_CORRECTED USER first ",
                "BANK_PROFILE_CREATED USER second ", "BANK_PROFILE_APPROVED OPERATOR second ");
        assertThat(raw[0]).as("accounts masked in the log").doesNotContain(GERMAN_IBAN).doesNotContain(DUTCH_IBAN)
                .contains("3000").contains("4300");
    }

    private static String createGermanAccount(String adminToken, String orgId, String name) {
        return bearer(adminToken).body(Map.of("name", name, "bankCountry", "DE", "currency", "EUR", "method",
                        "BANK_TRANSFER", "iban", GERMAN_IBAN, "bic", "COBADEFFXXX", "beneficiary", "Review B.V."))
                .post("/api/v1/organizations/" + orgId + "/payment-profiles").then().statusCode(201).extract()
                .path("id");
    }

    /** The profile once the automatic validation (a scheduled job) or a decision left it in this status. */
    private static JsonNode awaitStatus(String token, String orgId, String profileId, String status) {
        JsonNode[] seen = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            seen[0] = json(bearer(token).get("/api/v1/organizations/" + orgId + "/payment-profiles/" + profileId));
            assertThat(seen[0].path("status").asText()).as(seen[0].toString()).isEqualTo(status);
        });
        return seen[0];
    }

    private static JsonNode json(io.restassured.response.Response response) throws Exception {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        return SampleBodies.JSON.readTree(response.asString());
    }

    private static RequestSpecification bearer(String token) {
        return Gateway.request().auth().oauth2(token).contentType(ContentType.JSON);
    }
}
