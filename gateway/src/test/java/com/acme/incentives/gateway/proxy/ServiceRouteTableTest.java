package com.acme.incentives.gateway.proxy;

import com.acme.incentives.gateway.support.EchoServices;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The route table as configured in application.properties: every public path lands at its owner. */
@QuarkusTest
@WithTestResource(EchoServices.class)
class ServiceRouteTableTest {

    @Inject
    ServiceRouteTable table;

    @ParameterizedTest
    @CsvSource({
            "/api/v1/me, identity",
            "/api/v1/organizations, identity",
            "/api/v1/organizations/org-1, identity",
            "/api/v1/organizations/org-1/locations, identity",
            "/api/v1/organizations/org-1/locations/123, identity",
            "/api/v1/organizations/org-1/users, identity",
            "/api/v1/organizations/org-1/users/u-1/roles, identity",
            "/api/v1/organizations/org-1/users/u-1/password-reset, identity",
            "/api/v1/locations/123/agreements/A-1, eligibility",
            "/api/v1/locations/123/competencies/C-1, eligibility",
            "/api/v1/locations/123/eligibility, eligibility",
            "/api/v1/locations/123/eligibility/history, eligibility",
            "/api/v1/locations/123/first-transaction, eligibility",
            "/api/v1/locations/123, eligibility",
            "/api/v1/programs, eligibility",
            "/api/v1/programs/CSP-DIRECT, eligibility",
            "/api/v1/feeds/agreements, eligibility",
            "/api/v1/organizations/org-1/invitations, enrollment",
            "/api/v1/organizations/org-1/enrollments, enrollment",
            "/api/v1/organizations/org-1/migration, enrollment",
            "/api/v1/organizations/org-1/migration/complete, enrollment",
            "/api/v1/organizations/org-1/audit-log, enrollment",
            "/api/v1/invitations/i-1/accept, enrollment",
            "/api/v1/enrollments/e-1/withdraw, enrollment",
            "/api/v1/migration-waves, enrollment",
            "/api/v1/migration-waves/w-1, enrollment",
            "/api/v1/organizations/org-1/tax-profiles, payout",
            "/api/v1/organizations/org-1/payment-profiles/p-1, payout",
            "/api/v1/organizations/org-1/earnings, payout",
            "/api/v1/organizations/org-1/payments, payout",
            "/api/v1/organizations/org-1/statements/2026-01, payout",
            "/api/v1/organizations/org-1/summary, payout",
            "/api/v1/organizations/org-1/payout-assignments, payout",
            "/api/v1/locations/123/programs/CSP-DIRECT/payout-assignment, payout",
            "/api/v1/earnings/batch, payout",
            "/api/v1/payout-runs, payout",
            "/api/v1/payout-runs/r-1, payout",
            "/api/v1/exchange-rates/2026-01, payout",
            "/api/v1/payout-runs/r-1/bank-files/f-1, payout",
            "/api/v1/bank/status-reports, payout",
            "/api/v1/held-payments, payout",
            "/api/v1/payments/p-1/hold, payout",
            "/api/v1/payment-profile-reviews, payout",
            "/api/v1/payment-profiles/p-1/approve, payout",
            "/api/v1/payment-profiles/p-1/reject, payout",
    })
    void routesEachPathToItsOwner(String path, String service) {
        assertThat(table.match(path)).get().extracting(ServiceRoute::service).isEqualTo(service);
    }

    @ParameterizedTest
    @ValueSource(strings = { "/api/v1", "/api/v1/", "/api/v1/unknown", "/api/v1/locations", "/api/v1/organizations/o/x",
            "/api/v1/locations/123/programs", "/api/v2/me", "/apiv1/me", "/me", "/api/v1/bank",
            "/api/v1/bank/status-reports/x", "/api/v1/payment-profiles", "/api/v1/payment-profiles/p-1",
            "/api/v1/payment-profiles/p-1/delete" })
    void leavesUnownedPathsUnrouted(String path) {
        assertThat(table.match(path)).isEmpty();
    }
}
