package com.acme.incentives.e2e.journey;

import com.acme.incentives.client.ApiClients;
import com.acme.incentives.client.api.InvitationsAndEnrolmentsApi;
import com.acme.incentives.client.api.InvitationsAndEnrolmentsApi.APIListInvitationsRequest;
import com.acme.incentives.client.api.LocationsAndEligibilityApi;
import com.acme.incentives.client.api.LocationsAndEligibilityApi.APIGetLocationEligibilityRequest;
import com.acme.incentives.client.api.LocationsAndEligibilityApi.APIPutAgreementRequest;
import com.acme.incentives.client.api.LocationsAndEligibilityApi.APIPutCompetencyRequest;
import com.acme.incentives.client.api.LocationsAndEligibilityApi.APIPutFirstTransactionRequest;
import com.acme.incentives.client.api.OrganizationsAndLocationsApi;
import com.acme.incentives.client.api.OrganizationsAndLocationsApi.APIAddLocationRequest;
import com.acme.incentives.client.api.OrganizationsAndLocationsApi.APIListLocationsRequest;
import com.acme.incentives.client.api.OrganizationsAndLocationsApi.APIRegisterOrganizationRequest;
import com.acme.incentives.client.invoker.ApiClient;
import com.acme.incentives.client.invoker.ApiException;
import com.acme.incentives.client.model.AddLocation;
import com.acme.incentives.client.model.AgreementInput;
import com.acme.incentives.client.model.AgreementType;
import com.acme.incentives.client.model.AgreementView;
import com.acme.incentives.client.model.CompetencyInput;
import com.acme.incentives.client.model.CompetencyLevel;
import com.acme.incentives.client.model.Contact;
import com.acme.incentives.client.model.FactStatus;
import com.acme.incentives.client.model.FirstTransactionInput;
import com.acme.incentives.client.model.IdentityLocation;
import com.acme.incentives.client.model.InvitationStatus;
import com.acme.incentives.client.model.InvitationView;
import com.acme.incentives.client.model.LocationEligibility;
import com.acme.incentives.client.model.OrganizationRole;
import com.acme.incentives.client.model.PartnerType;
import com.acme.incentives.client.model.Problem;
import com.acme.incentives.client.model.ProgramEligibility;
import com.acme.incentives.client.model.RegisterOrganization;
import com.acme.incentives.client.model.RegisteredOrganization;
import com.acme.incentives.e2e.RunningPlatform;
import com.acme.incentives.e2e.contract.RecordingHttpClient;
import com.acme.incentives.e2e.support.Gateway;
import com.acme.incentives.e2e.support.SecretsSeen;
import com.acme.incentives.platform.testing.TestTokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * A partner's first steps driven through the Java client generated from the API contract (clients/, the jar
 * {@code api-client}) and nothing else: an operator registers an organization and its location, the partner feed
 * pushes the location's agreement, competency and first transaction, the location reads as eligible with its
 * checklist, the invitation appears, and an invalid location is refused with a typed problem naming its fields. What
 * the typed client proves beyond PartnerJourneyTest: the contract's paths, parameters, bodies and answers are the ones
 * the running platform serves (a field the contract names but the services do not send, or a wrong type or enum, fails
 * here).
 */
class JavaClientJourneyTest {

    private static final String PROGRAM = "csp-indirect-reseller";

    @BeforeAll
    static void platform() {
        RunningPlatform.ensureStarted();
    }

    @Test
    void fromRegistrationToAnInvitationWithTheGeneratedClient() throws Exception {
        ApiClient operator = client(TestTokens::operator);
        ApiClient partnerFeed = client(TestTokens::partnerFeed);
        OrganizationsAndLocationsApi organizations = new OrganizationsAndLocationsApi(operator);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String partnerId = String.valueOf(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));

        // 1. An operator registers the organization: its primary contact is its first global admin, whose temporary
        //    password is answered this once.
        RegisteredOrganization registered = organizations.registerOrganization(APIRegisterOrganizationRequest
                .newBuilder()
                .registerOrganization(new RegisterOrganization().name("Java client " + run).primaryContact(
                        new Contact().email("jo-" + run + "@java-client.example").firstName("Jo").lastName("Client")))
                .idempotencyKey("java-client-" + run)
                .build());
        String temporaryPassword = SecretsSeen.remember(registered.getTemporaryPassword());
        assertThat(temporaryPassword).isNotBlank();
        UUID orgId = registered.getId();
        assertThat(registered.getName()).isEqualTo("Java client " + run);
        assertThat(registered.getPrimaryContactUser().getRoles()).containsExactly(OrganizationRole.GLOBAL_ADMIN);
        assertThat(registered.getPrimaryContactUser().getOrganizationId()).isEqualTo(orgId);

        // 2. ... and adds its location.
        IdentityLocation location = organizations.addLocation(APIAddLocationRequest.newBuilder().orgId(orgId)
                .addLocation(new AddLocation().partnerId(partnerId).name("Java client Hamburg").country("DE")
                        .partnerType(PartnerType.INDIRECT_RESELLER))
                .build());
        assertThat(location.getOrganizationId()).isEqualTo(orgId);
        assertThat(location.getPartnerType()).isEqualTo(PartnerType.INDIRECT_RESELLER);
        assertThat(organizations.listLocations(APIListLocationsRequest.newBuilder().orgId(orgId).build()).getItems())
                .extracting(IdentityLocation::getPartnerId).containsExactly(partnerId);

        // 3. The partner feed pushes the location's agreement, competency and first transaction.
        LocationsAndEligibilityApi feed = new LocationsAndEligibilityApi(partnerFeed);
        AgreementView agreement = feed.putAgreement(APIPutAgreementRequest.newBuilder().partnerId(partnerId)
                .agreementId("mpn-" + partnerId)
                .agreementInput(new AgreementInput().type(AgreementType.MPN).status(FactStatus.ACTIVE)
                        .validFrom(LocalDate.of(2026, 1, 1)))
                .build());
        assertThat(agreement.getPartnerId()).isEqualTo(partnerId);
        assertThat(agreement.getValidFrom()).isEqualTo(LocalDate.of(2026, 1, 1));
        feed.putCompetency(APIPutCompetencyRequest.newBuilder().partnerId(partnerId).competencyId("cba-" + partnerId)
                .competencyInput(new CompetencyInput().name("Cloud Business Applications").level(CompetencyLevel.GOLD)
                        .validFrom(LocalDate.of(2026, 1, 1)))
                .build());
        feed.putFirstTransaction(APIPutFirstTransactionRequest.newBuilder().partnerId(partnerId)
                .firstTransactionInput(new FirstTransactionInput().date(LocalDate.of(2026, 2, 1)))
                .build());

        // 4. The location reads as eligible for the programme, every criterion of its checklist met.
        LocationsAndEligibilityApi eligibility = new LocationsAndEligibilityApi(operator);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            LocationEligibility read = eligibility.getLocationEligibility(
                    APIGetLocationEligibilityRequest.newBuilder().partnerId(partnerId).build());
            assertThat(read.getOrganizationId()).isEqualTo(orgId);
            ProgramEligibility program = read.getPrograms().stream()
                    .filter(p -> PROGRAM.equals(p.getProgramId())).findFirst().orElseThrow();
            assertThat(program.getEligible()).as("%s", program).isTrue();
            assertThat(program.getCriteria()).isNotEmpty().allSatisfy(criterion -> {
                assertThat(criterion.getMet()).as("%s", criterion).isTrue();
                assertThat(criterion.getCriterion()).isNotBlank();
            });
        });

        // 5. The organization's invitation to the programme appears.
        InvitationsAndEnrolmentsApi invitations = new InvitationsAndEnrolmentsApi(operator);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            List<InvitationView> items = invitations.listInvitations(
                    APIListInvitationsRequest.newBuilder().orgId(orgId).build()).getItems().stream()
                    .filter(i -> PROGRAM.equals(i.getProgramId())).toList();
            assertThat(items).hasSize(1);
            InvitationView invitation = items.get(0);
            assertThat(invitation.getPartnerId()).isEqualTo(partnerId);
            assertThat(invitation.getOrganizationId()).isEqualTo(orgId);
            assertThat(invitation.getStatus()).isEqualTo(InvitationStatus.ISSUED);
            assertThat(invitation.getExpiresAt()).isAfter(invitation.getIssuedAt());
        });

        // 6. An invalid location is refused: a 400 problem document naming each invalid field.
        ApiException refused = catchThrowableOfType(ApiException.class, () -> organizations.addLocation(
                APIAddLocationRequest.newBuilder().orgId(orgId)
                        .addLocation(new AddLocation().partnerId("MPN-42").name("Java client Nowhere").country("Germany")
                                .partnerType(PartnerType.INDIRECT_RESELLER))
                        .build()));
        assertThat(refused).as("an invalid location is refused").isNotNull();
        assertThat(refused.getCode()).isEqualTo(400);
        assertThat(refused.getResponseHeaders().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        Problem problem = ApiClients.problem(refused);
        assertThat(problem.getStatus()).isEqualTo(400);
        assertThat(problem.getType()).isEqualTo("/problems/validation-failed");
        assertThat(ApiClients.fieldErrors(problem)).containsKeys("partnerId", "country");
        assertThat(organizations.listLocations(APIListLocationsRequest.newBuilder().orgId(orgId).build()).getItems())
                .extracting(IdentityLocation::getPartnerId).containsExactly(partnerId);
    }

    /**
     * A client of the e2e gateways with this caller's bearer token. Its requests keep the pace of every other test
     * request (the e2e gateways allow 50 requests/s per client) and take turns over the gateway replicas, as
     * {@link Gateway#request()} does; its exchanges go through the contract check as rest-assured's do (its own
     * HTTP client, so it records them itself).
     */
    private static ApiClient client(Supplier<String> token) {
        return ApiClients.bearer(Gateway.URL, token, JavaClientJourneyTest::pacedOverTheGateways)
                .setHttpClientBuilder(RecordingHttpClient.builder());
    }

    private static void pacedOverTheGateways(HttpRequest.Builder request) {
        Gateway.pace();
        URI uri = request.build().uri();
        URI gateway = URI.create(Gateway.next());
        request.uri(gateway.resolve(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())));
    }
}
