package com.acme.incentives.payout.bank;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The bank channel over HTTP: {@code POST /files} hands over a pain.001 (the bank de-duplicates on its MsgId),
 * {@code GET /reports?after=} reads the pain.002 reports after a cursor. Failures become {@link BankChannelException}
 * with a message of ours (the status code, or that the bank could not be reached), which the sender stores.
 */
@ApplicationScoped
public class HttpBankGateway implements BankGateway {

    @RestClient
    BankChannelClient client;

    @Override
    public Handover submit(BankFile file) {
        try {
            return new Handover(client.submit(file.document()).duplicate());
        } catch (WebApplicationException e) {
            throw new BankChannelException("The bank refused the file: HTTP " + e.getResponse().getStatus(), e);
        } catch (ProcessingException e) {
            throw new BankChannelException("The bank channel could not be reached (" + kind(e) + ")", e);
        }
    }

    @Override
    public ReportBatch fetchStatusReports(String cursor, int limit) {
        try {
            BankChannelClient.ReportPage page = client.reports(cursor, limit);
            List<ReceivedReport> reports = page.reports() == null ? List.of() : page.reports().stream()
                    .map(r -> new ReceivedReport(r.cursor(), r.messageId(),
                            r.document() == null ? new byte[0] : r.document().getBytes(StandardCharsets.UTF_8)))
                    .toList();
            return new ReportBatch(reports, page.next() == null ? cursor : page.next());
        } catch (WebApplicationException e) {
            throw new BankChannelException("The bank channel answered HTTP " + e.getResponse().getStatus()
                    + " to the status report request", e);
        } catch (ProcessingException e) {
            throw new BankChannelException("The bank channel could not be reached (" + kind(e) + ")", e);
        }
    }

    /** The kind of failure (e.g. ConnectException), never the library's message, which may name hosts and paths. */
    private static String kind(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName();
    }
}
