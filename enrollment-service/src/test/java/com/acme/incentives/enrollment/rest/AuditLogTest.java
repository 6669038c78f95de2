package com.acme.incentives.enrollment.rest;

import com.acme.incentives.enrollment.EnrollmentFixture;
import com.acme.incentives.platform.security.Roles;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import com.acme.incentives.platform.testing.TestUsers.TestUser;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.acme.incentives.enrollment.EnrollmentFixture.awaitEligibilitySequence;
import static com.acme.incentives.enrollment.EnrollmentFixture.eligibility;
import static com.acme.incentives.enrollment.EnrollmentFixture.email;
import static com.acme.incentives.enrollment.EnrollmentFixture.registerOrganizationWithLocation;
import static com.acme.incentives.enrollment.EnrollmentFixture.userCreated;
import static com.acme.incentives.enrollment.rest.EnrollmentFlowTest.onlyInvitation;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

/**
 * The organizations' audit log: every service's AuditRecorded (identity's and payout's through their topics, this
 * service's own through its own topic) lands in one table, is read by operators and the organization's global admins,
 * newest first or as CSV, and an event delivered twice is one entry.
 */
@QuarkusTest
class AuditLogTest {

    @Inject
    AgroalDataSource dataSource;

    private static final Duration WAIT = Duration.ofMinutes(3); // an upper bound: the shared topics may hold a backlog

    /** An AuditRecorded as identity-service or payout-service publishes it (docs/events.md); returns the event id. */
    private static String auditRecorded(String eventId, String topic, UUID org, String service, String action,
            String targetType, String targetId, String actorSubject, String actorName, String actorKind,
            String correlationId, Instant occurredAt, Map<String, Object> details) {
        Map<String, Object> actor = new HashMap<>();
        actor.put("subject", actorSubject);
        actor.put("name", actorName);
        actor.put("kind", actorKind);
        Map<String, Object> data = new HashMap<>();
        data.put("organizationId", org.toString());
        data.put("action", action);
        data.put("targetType", targetType);
        data.put("targetId", targetId);
        data.put("details", details);
        data.put("actor", actor);
        data.put("correlationId", correlationId);
        data.put("occurredAt", occurredAt.toString());
        data.put("service", service);
        return EnrollmentFixture.produceWithId(eventId, topic, org.toString(), "AuditRecorded", org.toString(), data);
    }

    private static String log(UUID org) {
        return "/api/v1/organizations/" + org + "/audit-log";
    }

    /** Waits until the organization's log (as an operator reads it, with these query parameters) has {@code count}. */
    private static JsonPath awaitEntries(UUID org, Map<String, ?> query, int count) {
        String operator = TestTokens.operator();
        JsonPath[] page = new JsonPath[1];
        await().atMost(WAIT).until(() -> {
            page[0] = given().auth().oauth2(operator).queryParams(query).get(log(org)).then().statusCode(200)
                    .extract().jsonPath();
            return page[0].getInt("totalItems") >= count;
        });
        return page[0];
    }

    @Test
    void identityAndPayoutEntriesArriveWithTheirActorAndCorrelationIdNewestFirst() {
        UUID org = UUID.randomUUID();
        String admin = UUID.randomUUID().toString();
        String user = UUID.randomUUID().toString();
        String operator = UUID.randomUUID().toString();
        String payment = UUID.randomUUID().toString();
        Instant earlier = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MICROS);
        auditRecorded(UUID.randomUUID().toString(), "identity.events", org, "identity-service", "USER_ROLES_CHANGED",
                "USER", user, admin, "admin@test.example", "USER", "corr-roles-" + org, earlier,
                Map.of("email", "user@test.example", "to", Map.of("roles", List.of("INCENTIVE_USER"))));
        auditRecorded(UUID.randomUUID().toString(), "payout.events", org, "payout-service", "PAYMENT_RELEASE_REFUSED",
                "PAYMENT", payment, operator, "operator@test.example", "OPERATOR", "corr-refused-" + org,
                earlier.plusSeconds(60), Map.of("reason", "Approving myself", "amount", "12000.00"));

        JsonPath page = awaitEntries(org, Map.of(), 2);
        assertThat(page.getList("items.action")).containsExactly("PAYMENT_RELEASE_REFUSED", "USER_ROLES_CHANGED");
        assertThat(page.getString("items[0].service")).isEqualTo("payout-service");
        assertThat(page.getString("items[0].targetType")).isEqualTo("PAYMENT");
        assertThat(page.getString("items[0].targetId")).isEqualTo(payment);
        assertThat(page.getString("items[0].actorSubject")).isEqualTo(operator);
        assertThat(page.getString("items[0].actorKind")).isEqualTo("OPERATOR");
        assertThat(page.getString("items[0].correlationId")).isEqualTo("corr-refused-" + org);
        assertThat(page.getString("items[0].details.reason")).isEqualTo("Approving myself");
        assertThat(page.getString("items[1].actorName")).isEqualTo("admin@test.example");
        assertThat(page.getString("items[1].correlationId")).isEqualTo("corr-roles-" + org);
        assertThat(page.getList("items[1].details.to.roles")).containsExactly("INCENTIVE_USER");
        assertThat(Instant.parse(page.getString("items[1].occurredAt"))).isEqualTo(earlier);

        // each filter narrows the log
        String token = TestTokens.operator();
        given().auth().oauth2(token).queryParam("service", "identity-service").get(log(org)).then().statusCode(200)
                .body("totalItems", equalTo(1)).body("items[0].action", equalTo("USER_ROLES_CHANGED"));
        given().auth().oauth2(token).queryParam("action", "PAYMENT_RELEASE_REFUSED").get(log(org)).then()
                .body("totalItems", equalTo(1)).body("items[0].targetId", equalTo(payment));
        given().auth().oauth2(token).queryParam("actorSubject", admin).get(log(org)).then()
                .body("totalItems", equalTo(1)).body("items[0].service", equalTo("identity-service"));
        given().auth().oauth2(token).queryParam("from", earlier.plusSeconds(30).toString()).get(log(org)).then()
                .body("totalItems", equalTo(1)).body("items[0].service", equalTo("payout-service"));
        given().auth().oauth2(token).queryParam("to", earlier.plusSeconds(30).toString()).get(log(org)).then()
                .body("totalItems", equalTo(1)).body("items[0].service", equalTo("identity-service"));
        // a date is a whole UTC day, from its start to its end
        String day = earlier.toString().substring(0, 10);
        given().auth().oauth2(token).queryParam("from", day).queryParam("to", day).get(log(org)).then()
                .body("totalItems", equalTo(earlier.plusSeconds(60).toString().startsWith(day) ? 2 : 1));
        // the client's order, when asked for
        given().auth().oauth2(token).queryParam("sort", "occurredAt,asc").get(log(org)).then()
                .body("items[0].action", equalTo("USER_ROLES_CHANGED"));
        // another organization's entries are not this one's
        given().auth().oauth2(token).get(log(UUID.randomUUID())).then().statusCode(200).body("totalItems", equalTo(0));
    }

    @Test
    void aSignUpMadeInARequestIsLoggedWithItsCorrelationIdAndWhoMadeIt() {
        UUID org = UUID.randomUUID();
        TestUser admin = TestUsers.create(org, Roles.INCENTIVE_ADMIN);
        String partnerId = registerOrganizationWithLocation(org, "contact-" + org + "@test.example");
        userCreated(admin, List.of(Roles.INCENTIVE_ADMIN));
        eligibility(org, partnerId, true, 1);
        awaitEligibilitySequence(partnerId, 1);
        String invitationId = onlyInvitation(org, admin).path("id").asText();
        String correlationId = "audit-" + UUID.randomUUID();

        String enrollmentId = given().auth().oauth2(admin.token()).header("X-Correlation-Id", correlationId)
                .post("/api/v1/invitations/" + invitationId + "/accept").then().statusCode(200)
                .header("X-Correlation-Id", correlationId).extract().path("id");

        // enrollment-service's own entry took the same path as every other: its topic, then this log
        JsonPath page = awaitEntries(org, Map.of("action", "INVITATION_ACCEPTED"), 1);
        assertThat(page.getString("items[0].correlationId")).isEqualTo(correlationId);
        assertThat(page.getString("items[0].actorSubject")).isEqualTo(admin.id());
        assertThat(page.getString("items[0].actorName")).isEqualTo(email(admin));
        assertThat(page.getString("items[0].actorKind")).isEqualTo("USER");
        assertThat(page.getString("items[0].service")).isEqualTo("enrollment-service");
        assertThat(page.getString("items[0].targetType")).isEqualTo("ENROLLMENT");
        assertThat(page.getString("items[0].targetId")).isEqualTo(enrollmentId);
        assertThat(page.getString("items[0].details.invitationId")).isEqualTo(invitationId);
        assertThat(page.getString("items[0].details.partnerId")).isEqualTo(partnerId);
    }

    @Test
    void anEventDeliveredTwiceIsOneEntry() {
        UUID org = UUID.randomUUID();
        String eventId = UUID.randomUUID().toString();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (String topic : List.of("payout.events", "payout.events", "identity.events")) {
            // twice on the same topic (the inbox skips it), once more through another consumer (the key holds)
            auditRecorded(eventId, topic, org, "payout-service", "BANK_PROFILE_CREATED", "BANK_PROFILE", "b-1",
                    UUID.randomUUID().toString(), "admin@test.example", "USER", "corr-" + eventId, at,
                    Map.of("maskedAccount", "****1234"));
        }
        // After them, on the same keys (partitions, in order): once these are in, the copies were applied or skipped.
        for (String topic : List.of("payout.events", "identity.events")) {
            auditRecorded(UUID.randomUUID().toString(), topic, org, "payout-service", "BANK_PROFILE_CORRECTED",
                    "BANK_PROFILE", "b-1", null, "payout-service", "SYSTEM", null, at.plusSeconds(1), Map.of());
        }
        awaitEntries(org, Map.of("action", "BANK_PROFILE_CORRECTED"), 2);
        given().auth().oauth2(TestTokens.operator()).get(log(org)).then().statusCode(200)
                .body("totalItems", equalTo(3))
                .body("items.findAll { it.action == 'BANK_PROFILE_CREATED' }.id", equalTo(List.of(eventId)))
                .body("items.findAll { it.actorKind == 'SYSTEM' }.size()", equalTo(2))
                .body("items.findAll { it.actorKind == 'SYSTEM' }.actorSubject", everyItem(nullValue()));
        // The counts above are the effect (one entry for three deliveries). The copy that came through identity's
        // topic was applied (a no-op on the entry's key), not dead-lettered as a failure: its consumer recorded it.
        assertThat(consumed("enrollment-service:identity-events", eventId)).isEqualTo(1);
    }

    /** Whether (1) or not (0) the consumer recorded the event as applied, in the effect's transaction. */
    private long consumed(String consumer, String eventId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM consumed_event WHERE consumer = ? AND event_id = ?")) {
            s.setString(1, consumer);
            s.setObject(2, UUID.fromString(eventId));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theCsvHasTheHeaderAndEveryMatchingEntry() {
        UUID org = UUID.randomUUID();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String subject = UUID.randomUUID().toString();
        for (int i = 0; i < 3; i++) {
            auditRecorded(UUID.randomUUID().toString(), "identity.events", org, "identity-service",
                    i == 2 ? "USER_PASSWORD_RESET" : "USER_LOCALE_CHANGED", "USER", "u-" + i, subject,
                    "=cmd|' /C calc'!A0", "USER", "corr-" + i, at.plusSeconds(i), Map.of("to", "ja", "n", i));
        }
        awaitEntries(org, Map.of(), 3);
        String csv = given().auth().oauth2(TestTokens.operator()).accept("text/csv").queryParam("bom", "false")
                .queryParam("size", "1") // paging is for JSON: the export has every matching entry
                .get(log(org)).then().statusCode(200).contentType(containsString("text/csv"))
                .header("Content-Disposition", containsString("audit-log-" + org + ".csv"))
                .extract().asString();
        String[] lines = csv.split("\r\n");
        assertThat(lines[0]).isEqualTo(String.join(",", AuditLogResource.CSV_COLUMNS));
        assertThat(lines).hasSize(4);
        // newest first; the details JSON quoted; a formula in a name is not run by a spreadsheet
        assertThat(lines[1]).startsWith(at.plusSeconds(2) + ",identity-service,USER_PASSWORD_RESET,USER,u-2,USER,"
                + subject + ",'=cmd|' /C calc'!A0,corr-2,\"{\"\"n\"\":2,\"\"to\"\":\"\"ja\"\"}\",");
        assertThat(lines[3]).contains(",USER_LOCALE_CHANGED,USER,u-0,");
        String filtered = given().auth().oauth2(TestTokens.operator()).accept("text/csv").queryParam("bom", "false")
                .queryParam("action", "USER_PASSWORD_RESET").get(log(org)).then().statusCode(200).extract().asString();
        assertThat(filtered.split("\r\n")).hasSize(2);
    }

    @Test
    void operatorsAndTheOrganizationsGlobalAdminsReadItNobodyElse() {
        UUID org = UUID.randomUUID();
        given().auth().oauth2(TestTokens.operator()).get(log(org)).then().statusCode(200);
        given().auth().oauth2(TestUsers.create(org, Roles.GLOBAL_ADMIN).token()).get(log(org)).then()
                .statusCode(200).body("totalItems", equalTo(0));
        for (String role : List.of(Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER, Roles.USER_ADMIN, Roles.ACCOUNT_ADMIN)) {
            given().auth().oauth2(TestUsers.create(org, role).token()).get(log(org)).then().statusCode(403)
                    .contentType("application/problem+json");
        }
        given().auth().oauth2(TestUsers.create(UUID.randomUUID(), Roles.GLOBAL_ADMIN).token()).get(log(org)).then()
                .statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(TestUsers.create(UUID.randomUUID(), Roles.GLOBAL_ADMIN).token()).accept("text/csv")
                .get(log(org)).then().statusCode(404);
        given().auth().oauth2(TestTokens.partnerFeed()).get(log(org)).then().statusCode(403);
        given().get(log(org)).then().statusCode(401);
    }

    @Test
    void badFiltersAreRefusedNamingTheField() {
        String token = TestTokens.operator();
        String path = log(UUID.randomUUID());
        given().auth().oauth2(token).queryParam("from", "yesterday").get(path).then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("from"))
                .body("errors.code", hasItem("timestamp-or-date"));
        given().auth().oauth2(token).queryParam("from", "2026-12-02").queryParam("to", "2026-12-01T00:00:00Z")
                .get(path).then().statusCode(400).body("errors.field", hasItem("to"))
                .body("errors.code", hasItem("to-before-from"));
        given().auth().oauth2(token).queryParam("action", "user_created").get(path).then().statusCode(400)
                .body("errors.field", hasItem("action"));
        given().auth().oauth2(token).queryParam("service", "Payout Service").get(path).then().statusCode(400)
                .body("errors.field", hasItem("service"));
        given().auth().oauth2(token).queryParam("sort", "targetId").get(path).then().statusCode(400)
                .body("errors.field", hasItem("sort"));
        given().auth().oauth2(token).queryParam("bom", "yes").accept("text/csv").get(path).then().statusCode(400)
                .body("errors.field", hasItem("bom"));
        given().auth().oauth2(token).queryParam("who", "me").get(path).then().statusCode(400)
                .body("errors.field", hasItem("who"));
        given().auth().oauth2(token).header("Accept-Language", "ja").queryParam("to", "soon").get(path).then()
                .statusCode(400).header("Content-Language", "ja").body("errors[0].message",
                        containsString("タイムスタンプ"));
    }
}
