package com.acme.incentives.payout.rest;

import com.acme.incentives.payout.service.BankFiles;
import com.acme.incentives.payout.service.PayoutRunService;
import com.acme.incentives.payout.service.PayoutRunService.RunView;
import com.acme.incentives.payout.service.PayoutRunService.Started;
import com.acme.incentives.platform.idempotency.Idempotent;
import com.acme.incentives.platform.security.Caller;
import com.acme.incentives.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.UUID;

@Path("/api/v1/payout-runs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Payout runs")
public class PayoutRunResource {

    /** {@code partnerIds} limits the run to some locations (e.g. after their holds were fixed); absent = all. */
    public record StartRun(@Schema(pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$", examples = "2026-10") @NotBlank String period, @Size(max = 10_000) List<@NotBlank String> partnerIds) {
    }

    @Inject
    PayoutRunService runs;

    @Inject
    BankFiles bankFiles;

    @Inject
    Caller caller;

    @POST
    @RolesAllowed(Roles.PROGRAM_OPERATOR)
    @Idempotent
    @Operation(operationId = "startPayoutRun", summary = "Run the payout for a period (202; the same period while it"
            + " runs returns, and resumes, that run)")
    @APIResponse(responseCode = "202", description = "Started; it runs in the background (poll the Location)",
            headers = @Header(name = "Location", ref = "Location"), content = @Content(
                    mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "200", description = "This period's run is already running: that run (resumed if its"
            + " lease ran out)", headers = @Header(name = "Location", ref = "Location"), content = @Content(
                    mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "409", description = "A run of another period (or scope) is in progress:"
            + " `/problems/conflict` with member `runId`")
    @APIResponse(responseCode = "422", description = "The period has not started, or its exchange rates do not cover"
            + " every currency involved: `/problems/unprocessable`")
    public Response start(@Valid @NotNull StartRun body, @Context UriInfo uri) {
        Started started = runs.start(body.period(), body.partnerIds(), "OPERATOR", caller.subject());
        return Response.status(started.created() ? Response.Status.ACCEPTED : Response.Status.OK)
                .location(uri.getBaseUriBuilder().path("api/v1/payout-runs").path(started.run().id().toString())
                        .build())
                .entity(started.run()).build();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.PROGRAM_OPERATOR)
    @Operation(operationId = "getPayoutRun", summary = "A payout run and its progress")
    @APIResponse(responseCode = "200", description = "The run, with its bank files")
    @APIResponse(responseCode = "404", description = "No such run")
    public RunView get(@PathParam("id") UUID id) {
        return runs.get(id);
    }

    /**
     * The document as it was handed to the bank, for an operator checking a run. It names whole account numbers (it
     * is what the bank needs), so only operators get it, and it is never cached.
     */
    @GET
    @Path("/{runId}/bank-files/{fileId}")
    @RolesAllowed(Roles.PROGRAM_OPERATOR)
    @Produces(MediaType.APPLICATION_XML)
    @Operation(operationId = "getPayoutRunBankFile",
            summary = "Download one of a run's bank files (the ISO 20022 pain.001 document handed to the bank)")
    @APIResponse(responseCode = "200", description = "The pain.001.001.09 document, as an attachment", content =
            @Content(mediaType = MediaType.APPLICATION_XML, schema = @Schema(type = SchemaType.STRING,
                    description = "An ISO 20022 pain.001.001.09 document")))
    @APIResponse(responseCode = "404", description = "No such file of this run")
    public Response bankFile(@PathParam("runId") UUID runId, @PathParam("fileId") UUID fileId) {
        BankFiles.Document document = bankFiles.document(runId, fileId);
        return Response.ok(document.content(), MediaType.APPLICATION_XML_TYPE)
                .header("Content-Disposition", "attachment; filename=\"pain001-" + document.messageId() + ".xml\"")
                .header("Cache-Control", "no-store").build();
    }
}
