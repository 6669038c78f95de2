package com.acme.incentives.payout.rest;

import com.acme.incentives.payout.PayoutFixture;
import com.acme.incentives.payout.metrics.PaymentMetrics;
import com.acme.incentives.platform.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static com.acme.incentives.payout.PayoutFixture.earning;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The business gauges of docs/observability.md, as Prometheus scrapes them from /q/metrics. */
@QuarkusTest
class MetricsTest {

    private static final String APP = "application=\"payout-service\"";

    @Inject
    PaymentMetrics metrics;

    @Test
    void paymentsByStateAndAmountsHeldFollowAPayoutRun() {
        String period = PayoutFixture.lastMonth();
        PayoutFixture.setRates(period);
        UUID org = UUID.randomUUID();
        PayoutRunTest.Ready r = PayoutRunTest.ready(org, TestUsers.create(org, "INCENTIVE_ADMIN").token());
        var day = PayoutFixture.dayOf(period, 5);
        // 300 EUR is paid (IN_PROGRESS once the bank file is written); 50 EUR is under the threshold (ON_HOLD).
        PayoutFixture.pushEarnings(List.of(earning(r.partner(), "REBATE", "300.00", "EUR", day),
                earning(r.partner(), "COOP", "50.00", "EUR", day))).then().statusCode(200);

        metrics.refresh();
        String before = scrape();
        PayoutFixture.runPayout(period, List.of(r.partner()));
        // The schedule refreshes every payout.metrics.refresh-every; refreshing here spares the wait.
        metrics.refresh();
        String after = scrape();

        assertThat(value(after, payments("IN_PROGRESS"))).isGreaterThanOrEqualTo(
                value(before, payments("IN_PROGRESS")) + 1);
        assertThat(value(after, payments("ON_HOLD"))).isGreaterThanOrEqualTo(value(before, payments("ON_HOLD")) + 1);
        String amount = "payout_payments_amount{" + APP + ",currency=\"EUR\",state=\"IN_PROGRESS\"}";
        assertThat(value(after, amount)).isGreaterThanOrEqualTo(value(before, amount) + 300);
        String held = "payout_amount_held{" + APP + ",currency=\"EUR\"}";
        assertThat(value(after, held)).isGreaterThanOrEqualTo(value(before, held) + 50);
        // Every state is reported, with 0 when no payment is in it; NEW (inside a run's transaction only) is not.
        for (String state : List.of("UPCOMING", "IN_PROGRESS", "SENT", "PAID", "ON_HOLD", "FAILED", "REJECTED",
                "RETURNED", "FORFEITED")) {
            assertThat(after).contains(payments(state) + " ");
        }
        assertThat(after).doesNotContain("state=\"NEW\"");
        // The run's bank file waits in the database for the sender: READY until the bank has it.
        String ready = "payout_bank_files{" + APP + ",state=\"READY\"}";
        assertThat(value(after, ready)).isGreaterThanOrEqualTo(value(before, ready) + 1);
        for (String state : List.of("READY", "SUBMITTED", "ACKNOWLEDGED")) {
            assertThat(after).contains("payout_bank_files{" + APP + ",state=\"" + state + "\"} ");
        }
    }

    private static String payments(String state) {
        return "payout_payments{" + APP + ",state=\"" + state + "\"}";
    }

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of one series, or 0 when it does not exist yet. */
    private static double value(String metrics, String series) {
        return metrics.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]))
                .orElse(0.0);
    }
}
