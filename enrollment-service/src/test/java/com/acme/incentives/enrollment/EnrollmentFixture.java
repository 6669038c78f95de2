package com.acme.incentives.enrollment;

import com.acme.incentives.enrollment.domain.LocationProgram;
import com.acme.incentives.enrollment.domain.OrganizationUser;
import com.acme.incentives.enrollment.domain.PartnerLocation;
import com.acme.incentives.enrollment.domain.PayoutProfileStatus;
import com.acme.incentives.platform.testing.TestEvents;
import com.acme.incentives.platform.testing.TestUsers.TestUser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.RestAssured;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/** Real situations through the real topics (as identity, eligibility and payout would publish) and real SMTP. */
public final class EnrollmentFixture {

    public static final String PROGRAM = "csp-direct-bill";
    public static final String GREENMAIL = "http://localhost:8025";
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    /**
     * Added to every eligibility sequence a test sends: an eligibility-service running on the same broker (a developer's
     * platform) evaluates the test's LocationAdded too and publishes its own first outcome (sequence 1, not eligible);
     * the test's outcomes must be newer than that one, or they would be ignored as stale.
     */
    public static final long SEQUENCE_BASE = 1_000_000;
    private static final Duration WAIT = Duration.ofMinutes(3); // an upper bound: the shared topics may hold other teams' backlog

    private EnrollmentFixture() {
    }

    public static String newPartnerId() {
        return String.valueOf(ThreadLocalRandom.current().nextLong(100_000_000_000L, 999_999_999_999L));
    }

    /** OrganizationRegistered + LocationAdded; waits until enrollment-service knows the location. */
    public static String registerOrganizationWithLocation(UUID orgId, String primaryContactEmail) {
        String partnerId = newPartnerId();
        organizationRegistered(orgId, primaryContactEmail);
        produce("identity.events", orgId.toString(), "LocationAdded", orgId.toString(), Map.of(
                "organizationId", orgId.toString(), "partnerId", partnerId, "name", "Location " + partnerId,
                "country", "NO", "partnerType", "DIRECT_BILL", "addedAt", Instant.now().toString()));
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> PartnerLocation.findById(partnerId) != null));
        return partnerId;
    }

    /** identity-service's OrganizationRegistered (not waited for). */
    public static void organizationRegistered(UUID orgId, String primaryContactEmail) {
        produce("identity.events", orgId.toString(), "OrganizationRegistered", orgId.toString(), Map.of(
                "organizationId", orgId.toString(), "name", "Org " + orgId, "primaryContactEmail", primaryContactEmail,
                "primaryContactFirstName", "Pria", "primaryContactLastName", "Sen", "registeredAt",
                Instant.now().toString()));
    }

    /** identity-service's UserCreated for a real Keycloak test user; waits until applied. */
    public static void userCreated(TestUser user, List<String> roles) {
        produce("identity.events", user.organizationId().toString(), "UserCreated", user.organizationId().toString(),
                Map.of("organizationId", user.organizationId().toString(), "userId", user.id(), "email",
                        email(user), "firstName", "Test", "lastName", user.username(), "roles", roles,
                        "locations", List.of(), "createdBy", "test", "createdAt", Instant.now().toString()));
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> OrganizationUser.findById(user.id()) != null));
    }

    /**
     * identity-service's UserCreated for a user who chose a language ({@code locale} en, ja, ko); waits until the
     * projection has it.
     */
    public static void userCreated(TestUser user, List<String> roles, String locale) {
        produce("identity.events", user.organizationId().toString(), "UserCreated", user.organizationId().toString(),
                Map.of("organizationId", user.organizationId().toString(), "userId", user.id(), "email",
                        email(user), "firstName", "Test", "lastName", user.username(), "roles", roles,
                        "locations", List.of(), "createdBy", "test", "createdAt", Instant.now().toString(),
                        "locale", locale));
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew().call(() -> {
            OrganizationUser projected = OrganizationUser.findById(user.id());
            return projected != null && locale.equals(projected.locale);
        }));
    }

    /** Another LocationAdded for a known organization; waits until applied. */
    public static String addLocation(UUID orgId) {
        return addLocation(orgId, "NO");
    }

    /** Another LocationAdded for a known organization, in a country; waits until applied. */
    public static String addLocation(UUID orgId, String country) {
        String partnerId = newPartnerId();
        produce("identity.events", orgId.toString(), "LocationAdded", orgId.toString(), Map.of(
                "organizationId", orgId.toString(), "partnerId", partnerId, "name", "Location " + partnerId,
                "country", country, "partnerType", "DIRECT_BILL", "addedAt", Instant.now().toString()));
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> PartnerLocation.findById(partnerId) != null));
        return partnerId;
    }

    /**
     * identity-service's UserCreated or RolesChanged for any user (a Keycloak account is needed only to call the API
     * as that user); waits until the projection shows exactly these roles.
     */
    public static void identityUser(String type, UUID orgId, String userId, String email, List<String> roles) {
        Map<String, Object> data = new HashMap<>(Map.of("organizationId", orgId.toString(), "userId", userId,
                "email", email, "roles", roles, "locations", List.of()));
        data.put(type.equals("UserCreated") ? "createdAt" : "changedAt", Instant.now().toString());
        produce("identity.events", orgId.toString(), type, orgId.toString(), data);
        String joined = OrganizationUser.join(roles);
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew().call(() -> {
            OrganizationUser user = OrganizationUser.findById(userId);
            return user != null && user.roles.equals(joined);
        }));
    }

    /** identity-service's UserActivated (first sign-in with an own password); waits until applied. */
    public static void userActivated(TestUser user, List<String> roles) {
        produce("identity.events", user.organizationId().toString(), "UserActivated",
                user.organizationId().toString(), Map.of("organizationId", user.organizationId().toString(),
                        "userId", user.id(), "email", email(user), "roles", roles,
                        "activatedAt", Instant.now().toString()));
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew().call(() -> {
            OrganizationUser projected = OrganizationUser.findById(user.id());
            return projected != null && projected.activatedAt != null;
        }));
    }

    public static String email(TestUser user) {
        return user.username() + "@test.example";
    }

    /** eligibility-service's EligibilityChanged; returns the event id (to replay the very same event). */
    public static String eligibility(UUID orgId, String partnerId, boolean eligible, long sequence) {
        Map<String, Object> data = new HashMap<>(Map.of("partnerId", partnerId, "organizationId", orgId.toString(),
                "programId", PROGRAM, "eligible", eligible, "sequence", SEQUENCE_BASE + sequence, "evaluatedAt",
                Instant.now().toString(), "criteria", List.of()));
        return produce("eligibility.events", partnerId, "EligibilityChanged", partnerId, data);
    }

    /** An EligibilityChanged that names the programme ({@code programName}, as eligibility publishes it now). */
    public static String eligibility(UUID orgId, String partnerId, boolean eligible, long sequence,
            String programName) {
        Map<String, Object> data = new HashMap<>(Map.of("partnerId", partnerId, "organizationId", orgId.toString(),
                "programId", PROGRAM, "eligible", eligible, "sequence", SEQUENCE_BASE + sequence, "evaluatedAt",
                Instant.now().toString(), "criteria", List.of(), "programName", programName));
        return produce("eligibility.events", partnerId, "EligibilityChanged", partnerId, data);
    }

    public static void awaitEligibilitySequence(String partnerId, long sequence) {
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew().call(() -> {
            LocationProgram state = LocationProgram.findById(new LocationProgram.Key(partnerId, PROGRAM));
            return state != null && state.eligibilitySequence == SEQUENCE_BASE + sequence;
        }));
    }

    public static void payoutProfile(UUID orgId, String partnerId, String status, long sequence) {
        produce("payout.events", partnerId, "PayoutProfileStatusChanged", partnerId, Map.of(
                "organizationId", orgId.toString(), "partnerId", partnerId, "taxProfile", "VALID",
                "bankProfile", "COMPLETE".equals(status) ? "APPROVED" : "PENDING_VALIDATION", "status", status,
                "sequence", sequence, "changedAt", Instant.now().toString()));
    }

    /** A PayoutProfileStatusChanged naming each profile's state, as payout-service publishes it. */
    public static void payoutProfile(UUID orgId, String partnerId, String status, String taxProfile,
            String bankProfile, long sequence) {
        produce("payout.events", partnerId, "PayoutProfileStatusChanged", partnerId, Map.of(
                "organizationId", orgId.toString(), "partnerId", partnerId, "taxProfile", taxProfile,
                "bankProfile", bankProfile, "status", status, "sequence", sequence,
                "changedAt", Instant.now().toString()));
    }

    public static void awaitProfileSequence(String partnerId, long sequence) {
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew().call(() -> {
            PayoutProfileStatus profile = PayoutProfileStatus.findById(partnerId);
            return profile != null && profile.sequence == sequence;
        }));
    }

    public static String produce(String topic, String key, String type, String aggregateId, Object data) {
        return produceWithId(UUID.randomUUID().toString(), topic, key, type, aggregateId, data);
    }

    public static String produceWithId(String eventId, String topic, String key, String type, String aggregateId,
            Object data) {
        try {
            Map<String, Object> envelope = Map.of("eventId", eventId, "type", type, "aggregateId", aggregateId,
                    "occurredAt", Instant.now().toString(), "version", 1, "data", data);
            TestEvents.produce(topic, key, JSON.writeValueAsString(envelope), Map.of());
            return eventId;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The messages of a mailbox that mention {@code text} (e.g. this test's invitation id): another enrollment-service on
     * the same broker and SMTP server (a developer's platform) may mail the same test addresses about the same events.
     */
    public static List<JsonNode> mailbox(String email, String text) {
        return mailbox(email).stream().filter(m -> m.path("mimeMessage").asText().contains(text)
                || m.path("subject").asText().contains(text)).toList();
    }

    /**
     * Events of a type and key whose data has {@code field} = {@code value}: this test's own, where another
     * enrollment-service on the same broker may publish about the same location.
     */
    public static Predicate<JsonNode> ofData(String type, String aggregateId, String field, String value) {
        return TestEvents.ofType(type, aggregateId).and(e -> value.equals(e.path("data").path(field).asText()));
    }

    /** The messages GreenMail holds for a mailbox (none while it has never received one: GreenMail answers 400). */
    public static List<JsonNode> mailbox(String email) {
        var response = RestAssured.given().baseUri(GREENMAIL).basePath("")
                .get("/api/user/" + email + "/messages/INBOX");
        if (response.statusCode() != 200) {
            return List.of();
        }
        try {
            List<JsonNode> messages = new ArrayList<>();
            JSON.readTree(response.asString()).forEach(messages::add);
            return messages;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
