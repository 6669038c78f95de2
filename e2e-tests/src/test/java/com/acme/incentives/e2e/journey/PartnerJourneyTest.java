package com.acme.incentives.e2e.journey;

import com.acme.incentives.e2e.RunningPlatform;
import com.acme.incentives.e2e.support.BrowserSession;
import com.acme.incentives.e2e.support.Earnings;
import com.acme.incentives.e2e.support.Gateway;
import com.acme.incentives.e2e.support.Mailbox;
import com.acme.incentives.e2e.support.Organizations;
import com.acme.incentives.e2e.support.Payouts;
import com.acme.incentives.e2e.support.SampleBodies;
import com.acme.incentives.e2e.support.SecretsSeen;
import com.acme.incentives.e2e.support.WebhookReceiver;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.htmlunit.WebResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The seed's story, as a partner lives it, through the gateway only: an operator registers an organization, the partner
 * feed makes its location eligible, the invitation email arrives, the global admin signs in through the browser with the
 * temporary password and sets up the incentive team, the incentive admin accepts and sets up tax and bank profiles, the
 * enrolment becomes ENROLLED, the billing system pushes earnings, an operator runs the payout, and the statement (JSON
 * and CSV) shows the payment with its earning lines. The incentive user reads it all and can change nothing; another
 * organization sees none of it. The organization's ERP has credentials of its own to pull the statement, and its
 * webhook receiver is told of every payment's steps, in order per payment, each signed and retried once refused.
 */
class PartnerJourneyTest {

    private static final String PROGRAM = "csp-indirect-reseller";
    private static final String IBAN = "DE89370400440532013000";
    /** The e2e instance's bank simulator (deploy/local/services.sh: port base 8110 + 9). */
    private static final String BANK_SIMULATOR = "http://localhost:8119";
    /** A valid IBAN whose account ends in 13, which the bank simulator refuses (AC01). */
    private static final String REFUSED_IBAN = "DE29370400440532013013";

    /** The organization's ERP receiving payment webhooks; it refuses each message's first attempt. */
    private static WebhookReceiver receiver;

    @BeforeAll
    static void platform() throws Exception {
        RunningPlatform.ensureStarted();
        receiver = new WebhookReceiver(1);
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @Test
    void fromRegistrationToAPaidStatement() throws Exception {
        String operator = TestTokens.operator();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String partnerId = Organizations.newPartnerId();
        String primaryEmail = "pat-" + run + "@journey.example";

        // 1. An operator registers the organization and its location.
        Organizations.Registered registered = Organizations.register(operator, "Journey " + run, primaryEmail, "Pat",
                "Journey");
        String orgId = registered.id();
        String temporaryPassword = registered.temporaryPassword();
        assertThat(temporaryPassword).isNotBlank();
        Organizations.addLocation(operator, orgId, partnerId, "Journey Munich", "DE");

        // 2. The partner feed pushes the location's agreement, competency and first transaction.
        String feed = TestTokens.partnerFeed();
        bearer(feed).body(Map.of("type", "MPN", "status", "ACTIVE", "validFrom", "2026-01-01"))
                .put("/api/v1/locations/" + partnerId + "/agreements/mpn-" + partnerId).then().statusCode(200);
        bearer(feed).body(Map.of("name", "Cloud Business Applications", "level", "GOLD", "validFrom", "2026-01-01"))
                .put("/api/v1/locations/" + partnerId + "/competencies/cba-" + partnerId).then().statusCode(200);
        bearer(feed).body(Map.of("date", "2026-02-01"))
                .put("/api/v1/locations/" + partnerId + "/first-transaction").then().statusCode(200);

        // 3. The location becomes eligible and exactly one invitation email reaches the primary contact (the
        //    organization has no incentive admin yet).
        List<JsonNode> invitationMails = Mailbox.exactly(1, primaryEmail);
        assertThat(invitationMails.get(0).toString()).contains(partnerId);

        // 4. The global admin signs in through the browser with the temporary password, changes it, and creates an
        //    incentive admin and an incentive user.
        String adminEmail = "ines-" + run + "@journey.example";
        String userEmail = "ivo-" + run + "@journey.example";
        String adminTemporary;
        String userTemporary;
        try (BrowserSession globalAdmin = BrowserSession.signIn(primaryEmail, temporaryPassword, "Journey-Pat-" + run)) {
            WebResponse admin = globalAdmin.post("/api/v1/organizations/" + orgId + "/users", json(Map.of(
                    "email", adminEmail, "firstName", "Ines", "lastName", "Admin", "roles", List.of("INCENTIVE_ADMIN"))));
            assertThat(admin.getStatusCode()).as(admin.getContentAsString()).isEqualTo(201);
            adminTemporary = SecretsSeen.remember(globalAdmin.json(admin).path("temporaryPassword").asText());
            WebResponse user = globalAdmin.post("/api/v1/organizations/" + orgId + "/users", json(Map.of(
                    "email", userEmail, "firstName", "Ivo", "lastName", "User", "roles", List.of("INCENTIVE_USER"))));
            assertThat(user.getStatusCode()).as(user.getContentAsString()).isEqualTo(201);
            userTemporary = SecretsSeen.remember(globalAdmin.json(user).path("temporaryPassword").asText());
            // ... and registers the ERP's webhook receiver for every event type (each payload it receives is held
            // to the contract's webhooks: WebhookReceiver).
            WebResponse endpoint = globalAdmin.post("/api/v1/organizations/" + orgId + "/webhook-endpoints",
                    json(Map.of("url", receiver.url(), "eventTypes", List.of("payment.issued", "payment.held",
                            "payment.sent", "payment.paid", "payment.rejected", "payment.returned",
                            "payment.forfeited", "payout-profile.changed", "enrollment.changed",
                            "eligibility.changed", "invitation.issued"))));
            assertThat(endpoint.getStatusCode()).as(endpoint.getContentAsString()).isEqualTo(201);
            receiver.trust(SecretsSeen.remember(globalAdmin.json(endpoint).path("secret").asText()));
        }

        // 5. The incentive admin signs in, accepts the invitation, and sets up tax and bank profiles.
        String period = YearMonth.now(ZoneOffset.UTC).toString();
        try (BrowserSession incentiveAdmin = BrowserSession.signIn(adminEmail, adminTemporary, "Journey-Ines-" + run)) {
            JsonNode invitations = incentiveAdmin.json(incentiveAdmin.get("/api/v1/organizations/" + orgId + "/invitations"));
            assertThat(invitations.path("items")).hasSize(1);
            JsonNode invitation = invitations.path("items").get(0);
            assertThat(invitation.path("partnerId").asText()).isEqualTo(partnerId);
            assertThat(invitation.path("programId").asText()).isEqualTo(PROGRAM);
            WebResponse accepted = incentiveAdmin.post("/api/v1/invitations/" + invitation.path("id").asText() + "/accept",
                    null);
            assertThat(accepted.getStatusCode()).as(accepted.getContentAsString()).isEqualTo(200);
            assertThat(incentiveAdmin.json(accepted).path("status").asText()).isEqualTo("ACTION_REQUIRED");

            WebResponse tax = incentiveAdmin.post("/api/v1/organizations/" + orgId + "/tax-profiles", json(Map.of(
                    "partnerId", partnerId, "country", "DE", "taxForm", "W8BENE", "taxId", "DE123456789",
                    "expiresOn", LocalDate.now(ZoneOffset.UTC).plusYears(1).toString())));
            assertThat(tax.getStatusCode()).as(tax.getContentAsString()).isEqualTo(201);
            SecretsSeen.remember(IBAN);
            Map<String, Object> bank = new HashMap<>(Map.of("name", "Main account " + run, "bankCountry", "DE",
                    "currency", "EUR", "method", "BANK_TRANSFER", "iban", IBAN, "bic", "COBADEFFXXX",
                    "beneficiary", "Journey GmbH"));
            WebResponse bankProfile = incentiveAdmin.post("/api/v1/organizations/" + orgId + "/payment-profiles",
                    json(bank));
            assertThat(bankProfile.getStatusCode()).as(bankProfile.getContentAsString()).isEqualTo(201);
            JsonNode bankView = incentiveAdmin.json(bankProfile);
            assertThat(bankView.toString()).doesNotContain(IBAN);
            String bankId = bankView.path("id").asText();
            WebResponse assignment = incentiveAdmin.put("/api/v1/locations/" + partnerId + "/programs/" + PROGRAM
                    + "/payout-assignment", json(Map.of("bankProfileId", bankId, "taxProfileId",
                    incentiveAdmin.json(tax).path("id").asText(), "holdPayment", false)));
            assertThat(assignment.getStatusCode()).as(assignment.getContentAsString()).isEqualTo(200);

            // 6. Profiles complete (payout-service -> Kafka -> enrollment-service): ENROLLED, earning from this month.
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                JsonNode enrollments = incentiveAdmin.json(
                        incentiveAdmin.get("/api/v1/organizations/" + orgId + "/enrollments"));
                assertThat(enrollments.path("items").get(0).path("status").asText()).isEqualTo("ENROLLED");
                assertThat(enrollments.path("items").get(0).path("earningsStartDate").asText())
                        .isEqualTo(YearMonth.now(ZoneOffset.UTC).atDay(1).toString());
            });
        }

        // 7. The billing system pushes two earnings; an operator sets the month's rates and runs the payout.
        Payouts.setRates(operator, period);
        List<Map<String, Object>> lines = List.of(Earnings.rebate(partnerId, PROGRAM, "300.00"),
                Earnings.rebate(partnerId, PROGRAM, "250.50"));
        bearer(TestTokens.billingSystem()).body(Map.of("lines", lines)).post("/api/v1/earnings/batch")
                .then().statusCode(200);
        JsonNode payment = payOut(operator, orgId, partnerId, period);
        assertThat(payment.path("amount").asText()).isEqualTo("550.50");
        assertThat(payment.path("currency").asText()).isEqualTo("EUR");
        assertThat(payment.path("holdReasons")).isEmpty();
        // With a bank simulator running, the bank may already have accepted (SENT) or settled (PAID) it.
        assertThat(payment.path("status").asText()).isIn("UPCOMING", "IN_PROGRESS", "SENT", "PAID");

        // 7b. The run's pain.001 goes to the bank (the simulator) through the channel, and its status reports come
        //     back through the public API as the bank connector's: the transfer is accepted (SENT), then settled.
        String paymentId = payment.path("id").asText();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() ->
                "PAID".equals(paymentDetail(operator, orgId, paymentId).path("payment").path("status").asText()));
        List<String> way = new ArrayList<>();
        paymentDetail(operator, orgId, paymentId).path("history").forEach(h -> way.add(h.path("toStatus").asText()));
        assertThat(way).as("the payment's way to the bank").containsSubsequence("UPCOMING", "IN_PROGRESS", "SENT",
                "PAID");
        // Two payout replicas run the bank-file sender: the run's file reached the bank exactly once.
        JsonNode payoutRun = SampleBodies.JSON.readTree(Gateway.request().auth().oauth2(operator)
                .get("/api/v1/payout-runs/" + payment.path("payoutRunId").asText()).asString());
        assertThat(payoutRun.path("bankFiles")).isNotEmpty();
        for (JsonNode file : payoutRun.path("bankFiles")) {
            assertThat(file.toString()).doesNotContain("/var/", "/tmp/", ".xml");
            JsonNode atBank = SampleBodies.JSON.readTree(RestAssured.given().baseUri(BANK_SIMULATOR).port(8119).basePath("")
                    .get("/files/" + file.path("messageId").asText()).then().statusCode(200).extract().asString());
            assertThat(atBank.path("receipts").asInt()).as("hand-overs of %s", file).isEqualTo(1);
        }

        // 8. The incentive user signs in, reads the statement (JSON and CSV agree), and can change nothing.
        String statementCsv;
        try (BrowserSession incentiveUser = BrowserSession.signIn(userEmail, userTemporary, "Journey-Ivo-" + run)) {
            String statementPath = "/api/v1/organizations/" + orgId + "/statements/" + period;
            WebResponse statementResponse = incentiveUser.get(statementPath);
            assertThat(statementResponse.getStatusCode()).isEqualTo(200);
            JsonNode location = incentiveUser.json(statementResponse).path("locations").get(0);
            assertThat(location.path("partnerId").asText()).isEqualTo(partnerId);
            JsonNode paid = location.path("payments").get(0);
            assertThat(paid.path("payment").path("id").asText()).isEqualTo(payment.path("id").asText());
            List<String> earningIds = new ArrayList<>();
            paid.path("lines").forEach(line -> {
                earningIds.add(line.path("earningId").asText());
                assertThat(line.path("paymentId").asText()).isEqualTo(payment.path("id").asText());
            });
            assertThat(earningIds).containsExactlyInAnyOrder((String) lines.get(0).get("earningId"),
                    (String) lines.get(1).get("earningId"));

            WebResponse csv = incentiveUser.getCsv(statementPath);
            assertThat(csv.getStatusCode()).isEqualTo(200);
            assertThat(csv.getContentType()).startsWith("text/csv");
            statementCsv = csv.getContentAsString();
            List<Map<String, String>> rows = Csv.parse(statementCsv);
            assertThat(rows).hasSize(2);
            BigDecimal csvTotal = BigDecimal.ZERO;
            for (Map<String, String> row : rows) {
                assertThat(row.get("payment_id")).isEqualTo(payment.path("id").asText());
                assertThat(row.get("partner_id")).isEqualTo(partnerId);
                assertThat(row.get("country")).isEqualTo("DE");
                assertThat(row.get("tax_id")).isEqualTo("DE123456789");
                assertThat(earningIds).contains(row.get("earning_id"));
                csvTotal = csvTotal.add(new BigDecimal(row.get("earning_amount")));
            }
            assertThat(csvTotal).isEqualByComparingTo(payment.path("amount").asText());

            assertThat(incentiveUser.get("/api/v1/organizations/" + orgId + "/earnings").getStatusCode()).isEqualTo(200);
            assertThat(incentiveUser.get("/api/v1/organizations/" + orgId + "/payments").getStatusCode()).isEqualTo(200);
            assertThat(incentiveUser.get("/api/v1/organizations/" + orgId + "/enrollments").getStatusCode())
                    .isEqualTo(200);
            assertThat(incentiveUser.get("/api/v1/locations/" + partnerId + "/eligibility").getStatusCode())
                    .isEqualTo(200);
            assertThat(incentiveUser.post("/api/v1/organizations/" + orgId + "/tax-profiles", json(Map.of(
                    "partnerId", partnerId, "country", "DE", "taxForm", "W8BENE", "taxId", "DE999999999",
                    "expiresOn", "2030-01-01"))).getStatusCode()).isEqualTo(403);
            assertThat(incentiveUser.put("/api/v1/locations/" + partnerId + "/programs/" + PROGRAM
                    + "/payout-assignment", json(Map.of("holdPayment", true))).getStatusCode()).isEqualTo(403);
            assertThat(incentiveUser.post("/api/v1/organizations/" + orgId + "/users", json(Map.of("email",
                    "x-" + run + "@journey.example", "firstName", "X", "lastName", "Y", "roles",
                    List.of("INCENTIVE_ADMIN")))).getStatusCode()).isEqualTo(403);
        }

        // 8b. The organization's ERP gets credentials of its own: the global admin creates an API client that may
        //     read incentives (the secret shown once); the ERP signs in with client credentials, no person's password,
        //     and pulls the same statement CSV. Another organization's statement does not exist for it; a client given
        //     only organization:read may not read statements.
        String erpClientId;
        String erpSecret;
        String narrowClientId;
        String narrowSecret;
        try (BrowserSession globalAdmin = BrowserSession.signIn(primaryEmail, "Journey-Pat-" + run, null)) {
            WebResponse erp = globalAdmin.post("/api/v1/organizations/" + orgId + "/api-clients",
                    json(Map.of("name", "Journey ERP " + run, "scopes", List.of("incentives:read"))));
            assertThat(erp.getStatusCode()).as(erp.getContentAsString()).isEqualTo(201);
            erpClientId = globalAdmin.json(erp).path("client").path("clientId").asText();
            erpSecret = SecretsSeen.remember(globalAdmin.json(erp).path("clientSecret").asText());
            WebResponse narrow = globalAdmin.post("/api/v1/organizations/" + orgId + "/api-clients",
                    json(Map.of("name", "Journey directory sync " + run, "scopes", List.of("organization:read"))));
            assertThat(narrow.getStatusCode()).as(narrow.getContentAsString()).isEqualTo(201);
            narrowClientId = globalAdmin.json(narrow).path("client").path("clientId").asText();
            narrowSecret = SecretsSeen.remember(globalAdmin.json(narrow).path("clientSecret").asText());
        }
        String erpToken = clientCredentials(erpClientId, erpSecret);
        String statementPath = "/api/v1/organizations/" + orgId + "/statements/" + period;
        Response erpCsv = Gateway.request().auth().oauth2(erpToken).accept("text/csv").get(statementPath);
        assertThat(erpCsv.statusCode()).as(erpCsv.asString()).isEqualTo(200);
        assertThat(erpCsv.contentType()).startsWith("text/csv");
        assertThat(Csv.parse(erpCsv.asString())).isEqualTo(Csv.parse(statementCsv));
        String otherOrg = Organizations.register(operator, "Journey other " + run, "other-" + run
                + "@journey.example", "Otto", "Other").id();
        Response elsewhere = Gateway.request().auth().oauth2(erpToken).accept("text/csv")
                .get("/api/v1/organizations/" + otherOrg + "/statements/" + period);
        assertThat(elsewhere.statusCode()).isEqualTo(404);
        assertThat(elsewhere.contentType()).startsWith("application/problem+json");
        Response narrowRead = Gateway.request().auth().oauth2(clientCredentials(narrowClientId, narrowSecret))
                .accept("text/csv").get(statementPath);
        assertThat(narrowRead.statusCode()).isEqualTo(403);
        assertThat(narrowRead.contentType()).startsWith("application/problem+json");

        // 9. Another organization's administrators see none of it: every read is a 404, as if it did not exist.
        String stranger = TestUsers.create(UUID.randomUUID(), List.of("GLOBAL_ADMIN", "INCENTIVE_ADMIN"), List.of())
                .token();
        for (String path : List.of("/api/v1/organizations/" + orgId + "/statements/" + period,
                "/api/v1/organizations/" + orgId + "/earnings", "/api/v1/organizations/" + orgId + "/payments",
                "/api/v1/organizations/" + orgId + "/payments/" + payment.path("id").asText(),
                "/api/v1/organizations/" + orgId + "/invitations", "/api/v1/organizations/" + orgId + "/enrollments",
                "/api/v1/organizations/" + orgId + "/users", "/api/v1/organizations/" + orgId,
                "/api/v1/organizations/" + orgId + "/tax-profiles",
                "/api/v1/organizations/" + orgId + "/payment-profiles", "/api/v1/locations/" + partnerId,
                "/api/v1/locations/" + partnerId + "/eligibility")) {
            Response response = Gateway.request().auth().oauth2(stranger).get(path);
            assertThat(response.statusCode()).as("another organization reading %s", path).isEqualTo(404);
            assertThat(response.contentType()).startsWith("application/problem+json");
        }

        // 10. The incentive admin pays into another account, which the bank refuses (AC01, the simulator's rule for
        //     accounts ending in 13): the payment is REJECTED, its earnings are unpaid again, the bank profile asks
        //     for correction; the first payment stays PAID.
        SecretsSeen.remember(REFUSED_IBAN);
        try (BrowserSession incentiveAdmin = BrowserSession.signIn(adminEmail, "Journey-Ines-" + run, null)) {
            WebResponse refused = incentiveAdmin.post("/api/v1/organizations/" + orgId + "/payment-profiles",
                    json(Map.of("name", "Second account " + run, "bankCountry", "DE", "currency", "EUR", "method",
                            "BANK_TRANSFER", "iban", REFUSED_IBAN, "bic", "COBADEFFXXX", "beneficiary",
                            "Journey GmbH")));
            assertThat(refused.getStatusCode()).as(refused.getContentAsString()).isEqualTo(201);
            String refusedId = incentiveAdmin.json(refused).path("id").asText();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                JsonNode profiles = incentiveAdmin.json(
                        incentiveAdmin.get("/api/v1/organizations/" + orgId + "/payment-profiles"));
                for (JsonNode profile : profiles.path("items")) {
                    if (refusedId.equals(profile.path("id").asText())) {
                        return "APPROVED".equals(profile.path("status").asText());
                    }
                }
                return false;
            });
            String taxId = incentiveAdmin.json(incentiveAdmin.get("/api/v1/organizations/" + orgId
                    + "/tax-profiles?partnerId=" + partnerId)).path("items").get(0).path("id").asText();
            WebResponse assignment = incentiveAdmin.put("/api/v1/locations/" + partnerId + "/programs/" + PROGRAM
                    + "/payout-assignment", json(Map.of("bankProfileId", refusedId, "taxProfileId", taxId,
                    "holdPayment", false)));
            assertThat(assignment.getStatusCode()).as(assignment.getContentAsString()).isEqualTo(200);
        }
        List<Map<String, Object>> more = List.of(Earnings.rebate(partnerId, PROGRAM, "410.00"));
        bearer(TestTokens.billingSystem()).body(Map.of("lines", more)).post("/api/v1/earnings/batch")
                .then().statusCode(200);
        // Runs until the new earning's payment goes to the bank (a run before payout-service saw the new assignment
        // holds it, and a later run releases it), then no more runs: the bank's answer alone moves it.
        String[] rejected = new String[1];
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(3)).until(() -> {
            String runId = bearer(operator).body(Map.of("period", period, "partnerIds", List.of(partnerId)))
                    .post("/api/v1/payout-runs").then().statusCode(202).extract().path("id");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                    "COMPLETED".equals(Gateway.request().auth().oauth2(operator).get("/api/v1/payout-runs/" + runId)
                            .path("status")));
            JsonNode payments = SampleBodies.JSON.readTree(Gateway.request().auth().oauth2(operator)
                    .get("/api/v1/organizations/" + orgId + "/payments?partnerId=" + partnerId).asString());
            for (JsonNode p : payments.path("items")) {
                if (!paymentId.equals(p.path("id").asText()) && !"ON_HOLD".equals(p.path("status").asText())) {
                    rejected[0] = p.path("id").asText();
                }
            }
            return rejected[0] != null;
        });
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() ->
                "REJECTED".equals(paymentDetail(operator, orgId, rejected[0]).path("payment").path("status").asText()));
        JsonNode refusedPayment = paymentDetail(operator, orgId, rejected[0]).path("payment");
        assertThat(refusedPayment.path("amount").asText()).isEqualTo("410.00");
        // The incentive team was told of the refusal, once each (in English: neither chose a language, and the
        // location is German); the global admin, who is not of the incentive team, was not.
        Mailbox.onlyMessages(new Mailbox.One(adminEmail, "The bank refused a payment of €410.00", partnerId),
                new Mailbox.One(userEmail, "The bank refused a payment of €410.00", partnerId));
        assertThat(Mailbox.withSubject(primaryEmail, "The bank refused")).isEmpty();
        assertThat(paymentDetail(operator, orgId, paymentId).path("payment").path("status").asText())
                .isEqualTo("PAID");
        JsonNode earnings = SampleBodies.JSON.readTree(Gateway.request().auth().oauth2(operator)
                .get("/api/v1/organizations/" + orgId + "/earnings?size=50").asString());
        earnings.path("items").forEach(earning -> {
            if (more.get(0).get("earningId").equals(earning.path("earningId").asText())) {
                assertThat(earning.hasNonNull("paymentId")).as("the refused earning is unpaid again: %s", earning)
                        .isFalse();
            }
        });
        JsonNode profiles = SampleBodies.JSON.readTree(Gateway.request().auth().oauth2(operator)
                .get("/api/v1/organizations/" + orgId + "/payment-profiles").asString());
        assertThat(profiles.path("items").toString()).contains("ACTION_REQUIRED", "AC01");

        // 11. The ERP's receiver was told of each payment's steps, once each (deduplicated by webhook-id), in the
        //     order they happened to that payment, every request signed with its endpoint's secret.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(webhookSteps(paymentId)).containsSubsequence("payment.issued", "payment.sent", "payment.paid");
            assertThat(webhookSteps(rejected[0])).endsWith("payment.rejected");
        });
        assertThat(webhookSteps(paymentId)).filteredOn(step -> !step.equals("payment.held")).doesNotHaveDuplicates();
        assertThat(receiver.requests()).isNotEmpty().allMatch(WebhookReceiver.Request::verified);
        // The enrolment and the profiles set up after the endpoint was registered were told too.
        List<String> types = new ArrayList<>();
        for (String body : receiver.applied().values()) {
            types.add(SampleBodies.JSON.readTree(body).path("type").asText());
        }
        assertThat(types).contains("enrollment.changed", "payout-profile.changed");
        assertThat(receiver.applied().keySet()).as("each message refused once, then applied").allMatch(id ->
                receiver.requests().stream().anyMatch(r -> id.equals(r.id()) && r.answered() == 500));
    }

    /** The webhook types the receiver applied for one payment, in the order it applied them. */
    private static List<String> webhookSteps(String paymentId) throws Exception {
        List<String> steps = new ArrayList<>();
        for (String body : receiver.applied().values()) {
            JsonNode event = SampleBodies.JSON.readTree(body);
            if (paymentId.equals(event.path("data").path("paymentId").asText())) {
                steps.add(event.path("type").asText());
            }
        }
        return steps;
    }

    private static JsonNode paymentDetail(String operator, String orgId, String paymentId) throws Exception {
        return SampleBodies.JSON.readTree(Gateway.request().auth().oauth2(operator)
                .get("/api/v1/organizations/" + orgId + "/payments/" + paymentId).asString());
    }

    /**
     * Runs the payout for the period and returns the location's payment. payout-service learns of the enrolment from
     * enrollment-service's event; if the run came first, the payment waits on hold for NOT_ENROLLED only and the next
     * run releases it, which is the product's rule for held payments.
     */
    private static JsonNode payOut(String operator, String orgId, String partnerId, String period) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(3)).untilAsserted(() -> {
            String runId = bearer(operator).body(Map.of("period", period, "partnerIds", List.of(partnerId)))
                    .post("/api/v1/payout-runs").then().statusCode(202).extract().path("id");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                    "COMPLETED".equals(Gateway.request().auth().oauth2(operator).get("/api/v1/payout-runs/" + runId)
                            .path("status")));
            JsonNode payments = SampleBodies.JSON.readTree(Gateway.request().auth().oauth2(operator)
                    .get("/api/v1/organizations/" + orgId + "/payments?partnerId=" + partnerId).asString());
            assertThat(payments.path("items")).hasSize(1);
            found[0] = payments.path("items").get(0);
            assertThat(found[0].path("status").asText()).as(found[0].toString()).isNotEqualTo("ON_HOLD");
        });
        return found[0];
    }

    private static io.restassured.specification.RequestSpecification bearer(String token) {
        return Gateway.request().auth().oauth2(token).contentType(ContentType.JSON);
    }

    private static String json(Object body) {
        return body == null ? null : SampleBodies.write(SampleBodies.JSON.valueToTree(body));
    }

    /** A partner system's token: the client credentials grant at the realm's token endpoint. */
    private static String clientCredentials(String clientId, String secret) {
        return RestAssured.given().baseUri(TestTokens.KEYCLOAK_URL).basePath("")
                .formParam("grant_type", "client_credentials").formParam("client_id", clientId)
                .formParam("client_secret", secret).post(TestTokens.TOKEN_URL)
                .then().statusCode(200).extract().path("access_token");
    }
}
