package com.acme.incentives.payout.rest;

import com.acme.incentives.payout.PayoutMessages;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
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

    /**
     * Any media type reaches the method, which refuses all but XML itself (415): so who is calling is checked first,
     * and a caller without a token or the role learns 401 or 403, never how the body would have been read.
     */
    @POST
    @RolesAllowed(Roles.BANK_CONNECTOR)
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "receiveBankStatusReport", summary = "Deliver a bank payment status report (ISO 20022"
            + " pain.002); delivering it again changes nothing and answers the same summary")
    @APIResponse(responseCode = "200", description = "Applied (or delivered before: the first delivery's summary)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Summary.class)))
    @APIResponse(responseCode = "400", description = "Not a well-formed pain.002 document (or it has a DOCTYPE):"
            + " `/problems/malformed-request`")
    @APIResponse(responseCode = "409", description = "This message id was received before with other content:"
            + " `/problems/conflict`")
    @APIResponse(responseCode = "415", description = "The body is not `application/xml`:"
            + " `/problems/unsupported-media-type`")
    @APIResponse(responseCode = "422", description = "It names payments this service did not hand to the bank (member"
            + " `unknownEndToEndIds`) or status codes ISO 20022 does not have (`unknownStatusCodes`); nothing applied:"
            + " `/problems/unprocessable`")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_XML,
            schema = @Schema(type = SchemaType.STRING, description = "A pain.002 document (any pain.002.001.x)")))
    public Summary receive(@Context HttpHeaders headers, byte[] document) {
        if (!isXml(headers.getMediaType())) {
            throw new ApiException(ProblemType.UNSUPPORTED_MEDIA_TYPE, PayoutMessages.REPORT_MEDIA_TYPE);
        }
        if (document == null || document.length == 0) {
            throw new ApiException(ProblemType.MALFORMED_REQUEST, PayoutMessages.REPORT_BODY_REQUIRED);
        }
        return reports.receive(document, BankStatusReports.API);
    }

    private static boolean isXml(MediaType type) {
        return type != null && !type.isWildcardType() && !type.isWildcardSubtype()
                && type.isCompatible(MediaType.APPLICATION_XML_TYPE);
    }
}
