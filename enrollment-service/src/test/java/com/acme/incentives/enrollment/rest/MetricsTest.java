package com.acme.incentives.enrollment.rest;

import com.acme.incentives.enrollment.EnrollmentFixture;
import com.acme.incentives.enrollment.domain.WaveOrganization;
import com.acme.incentives.enrollment.metrics.EnrollmentMetrics;
import com.acme.incentives.enrollment.service.EnrollmentService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The business series of docs/observability.md, as Prometheus scrapes them from /q/metrics. */
@QuarkusTest
class MetricsTest {

    private static final String APP = "application=\"enrollment-service\"";
    /** A programme of this test alone: invitations issued by other tests' events never move its counter. */
    private static final String PROGRAM = "metrics-test";
    private static final String ISSUED = "enrollment_invitations_issued_total{" + APP + ",program=\"" + PROGRAM + "\"}";

    @Inject
    EnrollmentService enrollments;

    @Inject
    EnrollmentMetrics metrics;

    @Test
    void invitationsAreCountedPerProgrammeOnlyOnceCommitted() {
        double before = value(scrape(), ISSUED);

        // Eligible: invited, but the transaction rolls back: no invitation, nothing counted.
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            enrollments.eligibilityChanged(EnrollmentFixture.newPartnerId(), UUID.randomUUID(), PROGRAM, true, 1, null);
            throw new IllegalStateException("rolled back");
        })).hasMessage("rolled back");
        assertThat(value(scrape(), ISSUED)).isEqualTo(before);

        QuarkusTransaction.requiringNew().run(() -> enrollments.eligibilityChanged(EnrollmentFixture.newPartnerId(),
                UUID.randomUUID(), PROGRAM, true, 1, null));
        assertThat(value(scrape(), ISSUED)).isEqualTo(before + 1);
    }

    @Test
    void migrationsAreReportedPerState() {
        metrics.refresh();
        String scraped = scrape();
        long organizations = QuarkusTransaction.requiringNew().call(() -> WaveOrganization.count());
        double reported = 0;
        for (String state : List.of("SCHEDULED", "NOTIFIED", "USERS_SET_UP", "COMPLETED")) {
            String series = "enrollment_migrations{" + APP + ",state=\"" + state + "\"}";
            assertThat(scraped).contains(series + " ");
            reported += value(scraped, series);
        }
        assertThat(reported).isEqualTo(organizations);
    }

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of one series, or 0 when it does not exist yet (an exemplar, "# {trace_id=...}", may follow). */
    private static double value(String metrics, String series) {
        return metrics.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]))
                .orElse(0.0);
    }
}
