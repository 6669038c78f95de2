package com.acme.incentives.e2e.journey;

import com.acme.incentives.e2e.RunningPlatform;
import com.acme.incentives.e2e.support.Gateway;
import com.acme.incentives.e2e.support.Organizations;
import com.acme.incentives.e2e.support.Payouts;
import com.acme.incentives.e2e.support.SampleBodies;
import com.acme.incentives.e2e.support.SecretsSeen;
import com.acme.incentives.e2e.support.WebhookReceiver;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A partner system told of what happens instead of polling, through the gateway and the real platform (two replicas
 * of every service): the organization's global admin registers a receiver for eligibility and invitation events; the
 * partner feed makes a new location eligible; the receiver, which checks every signature and refuses each message's
 * first two attempts, gets every event once, in order per location and programme, although enrollment-service is
 * killed while it delivers and started again. The delivery log tells the same story.
 */
class WebhookJourneyTest {

    private static final String PROGRAM = "csp-indirect-reseller";

    @BeforeAll
    static void platform() {
        RunningPlatform.ensureStarted();
    }

    @Test
    void aReceiverGetsEveryEventOnceInOrderThroughRetriesAndAKilledDeliverer() throws Exception {
        String operator = TestTokens.operator();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String orgId = Organizations.register(operator, "Hooks " + run, "hooks-" + run + "@hooks.example", "Hana",
                "Hook").id();
        var admin = TestUsers.create(UUID.fromString(orgId), List.of("GLOBAL_ADMIN"), List.of());
        SecretsSeen.remember(admin.password());
        String adminToken = admin.token();

        try (WebhookReceiver receiver = new WebhookReceiver(2)) {
            // 1. The endpoint, before anything happens to the location; its secret comes once.
            Response registered = Gateway.request().auth().oauth2(adminToken).contentType(ContentType.JSON)
                    .body(Map.of("url", receiver.url(), "description", "ERP " + run,
                            "eventTypes", List.of("eligibility.changed", "invitation.issued")))
                    .post("/api/v1/organizations/" + orgId + "/webhook-endpoints");
            assertThat(registered.statusCode()).as(registered.asString()).isEqualTo(201);
            String endpointId = registered.path("id");
            String secret = SecretsSeen.remember(registered.path("secret"));
            assertThat(secret).startsWith("whsec_");
            receiver.trust(secret);
            Gateway.request().auth().oauth2(adminToken)
                    .get("/api/v1/organizations/" + orgId + "/webhook-endpoints/" + endpointId)
                    .then().statusCode(200);
            assertThat(Gateway.request().auth().oauth2(adminToken)
                    .get("/api/v1/organizations/" + orgId + "/webhook-endpoints/" + endpointId).asString())
                    .doesNotContain(secret);

            // 2. A new location, made eligible by the partner feed: eligibility changes, an invitation is issued.
            String partnerId = Organizations.newPartnerId();
            Organizations.addLocation(operator, orgId, partnerId, "Hooks Osaka", "JP");
            Payouts.feedMakesEligible(TestTokens.partnerFeed(), partnerId);

            // 3. While the deliveries are being refused and retried, enrollment-service (every replica) dies and
            //    comes back: whatever it had claimed goes again once its lease runs out, with the same webhook-id.
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !receiver.requests().isEmpty());
            RunningPlatform.services("kill", "enrollment");
            RunningPlatform.services("start", "enrollment");

            // 4. Everything delivered: the log's messages are exactly what the receiver applied, once each.
            String deliveries = "/api/v1/organizations/" + orgId + "/webhook-endpoints/" + endpointId
                    + "/deliveries?size=200";
            JsonNode[] log = new JsonNode[1];
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                log[0] = SampleBodies.JSON.readTree(Gateway.request().auth().oauth2(adminToken).get(deliveries)
                        .asString());
                List<String> statuses = new ArrayList<>();
                log[0].path("items").forEach(item -> statuses.add(item.path("status").asText()));
                assertThat(statuses).isNotEmpty().containsOnly("DELIVERED");
                Set<String> types = new HashSet<>();
                receiver.applied().values().forEach(body -> types.add(type(body)));
                assertThat(types).contains("eligibility.changed", "invitation.issued");
                assertThat(receiver.applied()).hasSize(log[0].path("items").size());
            });
            Set<String> logged = new HashSet<>();
            for (JsonNode item : log[0].path("items")) {
                logged.add(item.path("messageId").asText());
                List<Integer> codes = new ArrayList<>();
                item.path("attempts").forEach(a -> codes.add(a.path("statusCode").isNull() ? null
                        : a.path("statusCode").asInt()));
                assertThat(codes).as("attempts of %s", item.path("messageId").asText()).contains(500)
                        .last().isEqualTo(204);
            }
            assertThat(receiver.applied().keySet()).isEqualTo(logged);
            assertThat(receiver.requests()).allMatch(WebhookReceiver.Request::verified);

            // 5. Nothing doubled: no event reached the receiver under two webhook-ids; in order per location and
            //    programme (each eligibility change's sequence above the last applied), ending eligible.
            Set<String> bodies = new HashSet<>(receiver.applied().values());
            assertThat(bodies).hasSize(receiver.applied().size());
            Map<String, Long> lastSequence = new HashMap<>();
            boolean eligible = false;
            for (String body : receiver.applied().values()) {
                JsonNode event = SampleBodies.JSON.readTree(body);
                JsonNode data = event.path("data");
                assertThat(data.path("organizationId").asText()).isEqualTo(orgId);
                if ("eligibility.changed".equals(type(body))) {
                    String resource = data.path("partnerId").asText() + "/" + data.path("programId").asText();
                    long sequence = data.path("sequence").asLong();
                    assertThat(sequence).as("%s applied in order", resource)
                            .isGreaterThan(lastSequence.getOrDefault(resource, 0L));
                    lastSequence.put(resource, sequence);
                    if (PROGRAM.equals(data.path("programId").asText())) {
                        eligible = data.path("eligible").asBoolean();
                    }
                }
            }
            assertThat(eligible).as("the last applied change makes the location eligible for %s", PROGRAM).isTrue();
            lastSequence.forEach((resource, last) -> assertThat(receiver.applied().values().stream()
                    .filter(body -> body.contains("\"" + resource.split("/")[1] + "\"")
                            && "eligibility.changed".equals(type(body)))
                    .count()).as("every change of %s, none lost", resource).isEqualTo(last));
        }
    }

    private static String type(String body) {
        try {
            return SampleBodies.JSON.readTree(body).path("type").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
