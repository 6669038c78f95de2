package com.acme.incentives.payout.rest;

import com.acme.incentives.payout.service.BankStatusReports;
import com.acme.incentives.payout.service.BankStatusReports.Summary;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.problem.ProblemType;
import com.acme.incentives.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The bank's payment status reports, delivered by the bank connector (a machine client, role BANK_CONNECTOR, of no
 * organization: the bank reports on every organization's payments, which it names by end-to-end id). The same
 * service applies the reports pulled through the bank channel.
 */
@Path("/api/v1/bank/status-reports")
@Tag(name = "Bank")
public class BankStatusReportResource {

    @Inject
    BankStatusReports reports;

    @POST
    @RolesAllowed(Roles.BANK_CONNECTOR)
    @Consumes(MediaType.APPLICATION_XML)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Deliver a bank payment status report (ISO 20022 pain.002); delivering it again changes"
            + " nothing and answers the same summary")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_XML,
            schema = @Schema(type = SchemaType.STRING, description = "A pain.002 document (any pain.002.001.x)")))
    public Summary receive(byte[] document) {
        if (document == null || document.length == 0) {
            throw new ApiException(ProblemType.MALFORMED_REQUEST, "The body must be a pain.002 document");
        }
        return reports.receive(document, BankStatusReports.API);
    }
}
