package com.acme.incentives.client;

import com.acme.incentives.client.api.LocationsAndEligibilityApi;
import com.acme.incentives.client.api.OrganizationsAndLocationsApi;
import com.acme.incentives.client.invoker.ApiClient;
import com.acme.incentives.client.invoker.ApiException;
import com.acme.incentives.client.model.AddLocation;
import com.acme.incentives.client.model.AgreementInput;
import com.acme.incentives.client.model.AgreementType;
import com.acme.incentives.client.model.Contact;
import com.acme.incentives.client.model.ExchangeRates;
import com.acme.incentives.client.model.FactStatus;
import com.acme.incentives.client.model.LocationEligibility;
import com.acme.incentives.client.model.OrganizationRole;
import com.acme.incentives.client.model.PartnerType;
import com.acme.incentives.client.model.PaymentView;
import com.acme.incentives.client.model.Problem;
import com.acme.incentives.client.model.RegisterOrganization;
import com.acme.incentives.client.model.RegisteredOrganization;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The Java client generated from docs/openapi.json: its models (de)serialize as the contract says (money as strings,
 * enums as enums, dates as java.time), and a client made by {@link ApiClients} calls a fake gateway on the loopback
 * interface with the bearer token, the request's JSON, and the refusal read back as a typed {@link Problem}.
 */
class GeneratedClientTest {

    private static final ObjectMapper JSON = ApiClient.createDefaultObjectMapper();
    private static final UUID ORG = UUID.fromString("6f1c2b8e-7d0a-4c55-9a51-0c1f3f7f1a2b");

    private HttpServer gateway;
    private final List<Recorded> received = new CopyOnWriteArrayList<>();
    private volatile Answer answer;

    @BeforeEach
    void startFakeGateway() throws IOException {
        gateway = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        gateway.createContext("/", this::handle);
        gateway.start();
    }

    @AfterEach
    void stopFakeGateway() {
        gateway.stop(0);
    }

    @Test
    void requestModelsSerializeAsTheContractSays() throws Exception {
        AgreementInput agreement = new AgreementInput().type(AgreementType.MPN).status(FactStatus.ACTIVE)
                .validFrom(LocalDate.of(2026, 1, 1));
        assertThat(JSON.readTree(JSON.writeValueAsString(agreement))).isEqualTo(JSON.readTree(
                "{\"type\":\"MPN\",\"status\":\"ACTIVE\",\"validFrom\":\"2026-01-01\"}"));

        JsonNode register = JSON.readTree(JSON.writeValueAsString(registration()));
        assertThat(register.toString()).isEqualTo(
                "{\"name\":\"Fabrikam\",\"primaryContact\":{\"email\":\"pat@fabrikam.example\",\"firstName\":\"Pat\","
                        + "\"lastName\":\"Lee\"}}");
    }

    @Test
    void responseModelsKeepMoneyAsTextAndTypeTheRest() throws Exception {
        RegisteredOrganization registered = JSON.readValue("""
                {"id":"6f1c2b8e-7d0a-4c55-9a51-0c1f3f7f1a2b","name":"Fabrikam","createdAt":"2026-03-10T16:15:50Z",
                 "primaryContact":{"email":"pat@fabrikam.example","firstName":"Pat","lastName":"Lee"},
                 "primaryContactUser":{"id":"0b8f7f0e-1111-4c55-9a51-0c1f3f7f1a2b","organizationId":"6f1c2b8e-7d0a-4c55-9a51-0c1f3f7f1a2b",
                   "email":"pat@fabrikam.example","firstName":"Pat","lastName":"Lee","roles":["GLOBAL_ADMIN","A_ROLE_ADDED_LATER"],
                   "locations":[],"status":"PENDING","createdAt":"2026-03-10T16:15:50.123456Z"},
                 "temporaryPassword":"Temp-1234-abcd","aFieldAddedLater":true}
                """, RegisteredOrganization.class);
        assertThat(registered.getId()).isEqualTo(ORG);
        assertThat(registered.getCreatedAt()).isEqualTo(OffsetDateTime.of(2026, 3, 10, 16, 15, 50, 0, ZoneOffset.UTC));
        assertThat(registered.getTemporaryPassword()).isEqualTo("Temp-1234-abcd");
        // An enum value the contract adds later (an additive change) reads as UNKNOWN_DEFAULT_OPEN_API, not a failure.
        assertThat(registered.getPrimaryContactUser().getRoles())
                .containsExactly(OrganizationRole.GLOBAL_ADMIN, OrganizationRole.UNKNOWN_DEFAULT_OPEN_API);

        PaymentView payment = JSON.readValue("""
                {"id":"6f1c2b8e-7d0a-4c55-9a51-0c1f3f7f1a2b","amount":"1250.10","currency":"EUR","status":"UPCOMING"}
                """, PaymentView.class);
        assertThat(payment.getAmount()).isEqualTo("1250.10");
        assertThat(payment.getStatus()).isEqualTo(PaymentView.StatusEnum.UPCOMING);
        assertThat(PaymentView.class.getDeclaredField("amount").getType()).isEqualTo(String.class);
        ExchangeRates rates = JSON.readValue("{\"rates\":{\"EUR\":\"1.10\",\"JPY\":\"0.0061234567\"}}", ExchangeRates.class);
        assertThat(rates.getRates()).containsEntry("JPY", "0.0061234567");

        LocationEligibility eligibility = JSON.readValue("""
                {"partnerId":"4200042","organizationId":"6f1c2b8e-7d0a-4c55-9a51-0c1f3f7f1a2b","partnerType":"INDIRECT_RESELLER",
                 "country":"DE","evaluatedFor":"2026-03-10","programs":[{"programId":"csp-indirect-reseller",
                 "programName":"CSP indirect reseller","eligible":true,"sequence":3,
                 "criteria":[{"criterion":"MPN agreement","met":true,"since":"2026-01-01"}]}]}
                """, LocationEligibility.class);
        assertThat(eligibility.getEvaluatedFor()).isEqualTo(LocalDate.of(2026, 3, 10));
        assertThat(eligibility.getPartnerType()).isEqualTo(PartnerType.INDIRECT_RESELLER);
        assertThat(eligibility.getPrograms().get(0).getCriteria().get(0).getSince()).isEqualTo(LocalDate.of(2026, 1, 1));
    }

    @Test
    void aBearerClientSendsTheTokenAndTheBodyAndReadsTheAnswer() throws Exception {
        AtomicInteger before = new AtomicInteger();
        ApiClient client = ApiClients.bearer(baseUri(), () -> "token-" + (before.get()),
                request -> before.incrementAndGet());
        answer = new Answer(201, "application/json", """
                {"partnerId":"4200042","organizationId":"6f1c2b8e-7d0a-4c55-9a51-0c1f3f7f1a2b","name":"Fabrikam Berlin",
                 "country":"DE","partnerType":"INDIRECT_RESELLER","createdAt":"2026-03-10T16:15:50Z"}
                """);

        var added = new OrganizationsAndLocationsApi(client).addLocation(
                OrganizationsAndLocationsApi.APIAddLocationRequest.newBuilder().orgId(ORG).addLocation(location("4200042"))
                        .idempotencyKey("key-1").build());

        assertThat(added.getPartnerType()).isEqualTo(PartnerType.INDIRECT_RESELLER);
        assertThat(added.getOrganizationId()).isEqualTo(ORG);
        Recorded request = received.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/v1/organizations/" + ORG + "/locations");
        assertThat(request.headers().firstValue("Authorization")).hasValue("Bearer token-1");
        assertThat(request.headers().firstValue("Idempotency-Key")).hasValue("key-1");
        assertThat(request.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(JSON.readTree(request.body())).isEqualTo(JSON.readTree(
                "{\"partnerId\":\"4200042\",\"name\":\"Fabrikam Berlin\",\"country\":\"DE\",\"partnerType\":\"INDIRECT_RESELLER\"}"));
        assertThat(before).hasValue(1);
    }

    @Test
    void aRefusalReadsAsATypedProblemByField() {
        ApiClient client = ApiClients.bearer(baseUri(), () -> "token");
        answer = new Answer(400, "application/problem+json", """
                {"type":"/problems/validation-failed","title":"Validation failed","status":400,
                 "detail":"1 field is invalid: partnerId","instance":"/api/v1/organizations/x/locations","correlationId":"cid-1",
                 "errors":[{"field":"partnerId","code":"Pattern","message":"must be digits only (the MPN ID), at most 12"}],"hint":"extra member"}
                """);

        ApiException refusal = catchThrowableOfType(ApiException.class, () -> new OrganizationsAndLocationsApi(client)
                .addLocation(OrganizationsAndLocationsApi.APIAddLocationRequest.newBuilder().orgId(ORG)
                        .addLocation(location("MPN-1")).build()));

        assertThat(refusal.getCode()).isEqualTo(400);
        Problem problem = ApiClients.problem(refusal);
        assertThat(problem.getStatus()).isEqualTo(400);
        assertThat(problem.getType()).isEqualTo("/problems/validation-failed");
        assertThat(problem.getTitle()).isEqualTo("Validation failed");
        assertThat(problem.getCorrelationId()).isEqualTo("cid-1");
        assertThat(problem.getAdditionalProperty("hint")).isEqualTo("extra member");
        assertThat(ApiClients.fieldErrors(problem))
                .isEqualTo(Map.of("partnerId", List.of("must be digits only (the MPN ID), at most 12")));
    }

    @Test
    void anAnswerThatIsNoProblemDocumentStillGivesAProblemWithItsStatus() {
        ApiClient client = ApiClients.bearer(baseUri(), () -> "token");
        answer = new Answer(502, "text/html", "<html>Bad gateway</html>");

        ApiException refusal = catchThrowableOfType(ApiException.class, () -> new LocationsAndEligibilityApi(client)
                .getLocationEligibility(LocationsAndEligibilityApi.APIGetLocationEligibilityRequest.newBuilder()
                        .partnerId("4200042").build()));

        Problem problem = ApiClients.problem(refusal);
        assertThat(problem.getType()).isEqualTo("about:blank");
        assertThat(problem.getStatus()).isEqualTo(502);
        assertThat(ApiClients.fieldErrors(problem)).isEmpty();
        assertThat(received.get(0).path()).isEqualTo("/api/v1/locations/4200042/eligibility");
        assertThat(received.get(0).method()).isEqualTo("GET");
    }

    private static RegisterOrganization registration() {
        return new RegisterOrganization().name("Fabrikam")
                .primaryContact(new Contact().email("pat@fabrikam.example").firstName("Pat").lastName("Lee"));
    }

    private static AddLocation location(String partnerId) {
        return new AddLocation().partnerId(partnerId).name("Fabrikam Berlin").country("DE")
                .partnerType(PartnerType.INDIRECT_RESELLER);
    }

    private String baseUri() {
        return "http://" + gateway.getAddress().getHostString() + ":" + gateway.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    HttpHeaders.of(exchange.getRequestHeaders(), (name, value) -> true), body));
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private record Recorded(String method, String path, HttpHeaders headers, String body) {
    }

    private record Answer(int status, String contentType, String body) {
    }
}
