package com.acme.incentives.payout.service;

import com.acme.incentives.payout.bank.BankGateway;
import com.acme.incentives.payout.bank.BankGateway.ReceivedReport;
import com.acme.incentives.payout.bank.BankGateway.ReportBatch;
import com.acme.incentives.platform.problem.ApiException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.Optional;

/**
 * Pulls the bank's status reports through the channel ({@link BankGateway#fetchStatusReports}) and applies each with
 * {@link BankStatusReports}, the same service the API uses. The channel's cursor is kept in the database
 * (bank_channel_cursor) and locked while a page is read and applied, so one replica at a time pulls and a replica that
 * dies mid-page leaves the cursor where it was: the page is read again, and reports already applied change nothing.
 * A report that cannot be applied (malformed, unknown payment) is logged as an error for a person and passed over.
 */
@ApplicationScoped
public class BankReportPoller {

    private static final Logger LOG = Logger.getLogger(BankReportPoller.class);
    private static final String CHANNEL = "bank";
    private static final int PAGE = 100;
    private static final int MAX_PAGES_PER_POLL = 50;

    @Inject
    Jdbi jdbi;

    @Inject
    BankGateway bank;

    @Inject
    BankStatusReports reports;

    /** What one poll did. {@code skipped}: another replica was polling. */
    public record PollResult(int read, int refused, boolean skipped) {
    }

    /** Reads and applies every report the channel has after the stored cursor. */
    public PollResult poll() {
        int read = 0;
        int refused = 0;
        for (int page = 0; page < MAX_PAGES_PER_POLL; page++) {
            PollResult result = QuarkusTransaction.requiringNew().timeout(900).call(this::pollPage);
            if (result.skipped()) {
                return page == 0 ? result : new PollResult(read, refused, false);
            }
            read += result.read();
            refused += result.refused();
            if (result.read() < PAGE) {
                break;
            }
        }
        return new PollResult(read, refused, false);
    }

    /** The channel's stored cursor (null before the first page). */
    private record Cursor(String value) {
    }

    private PollResult pollPage() {
        try (Handle h = jdbi.open()) {
            h.createUpdate("""
                    INSERT INTO bank_channel_cursor (channel, cursor, updated_at) VALUES (:channel, NULL, now())
                    ON CONFLICT DO NOTHING""")
                    .bind("channel", CHANNEL)
                    .execute();
            Optional<Cursor> locked = h.createQuery(
                    "SELECT cursor FROM bank_channel_cursor WHERE channel = :channel FOR UPDATE SKIP LOCKED")
                    .bind("channel", CHANNEL)
                    .map((rs, ctx) -> new Cursor(rs.getString(1)))
                    .findFirst();
            if (locked.isEmpty()) {
                return new PollResult(0, 0, true);
            }
            String cursor = locked.get().value();
            ReportBatch batch = bank.fetchStatusReports(cursor, PAGE);
            int refused = 0;
            for (ReceivedReport report : batch.reports()) {
                try {
                    // Each report in its own transaction, as through the API; the cursor row stays locked meanwhile.
                    reports.receive(report.document(), BankStatusReports.CHANNEL);
                } catch (ApiException e) {
                    refused++;
                    LOG.errorf("Bank status report %s (channel cursor %s) not applied: %s %s; a person must look at"
                            + " it (it can be delivered again through POST /api/v1/bank/status-reports)",
                            report.messageId(), report.cursor(), e.getMessage(), e.extensions());
                }
            }
            if (!batch.reports().isEmpty()) {
                h.createUpdate(
                        "UPDATE bank_channel_cursor SET cursor = :cursor, updated_at = now() WHERE channel = :channel")
                        .bind("cursor", batch.next())
                        .bind("channel", CHANNEL)
                        .execute();
            }
            return new PollResult(batch.reports().size(), refused, false);
        }
    }
}
