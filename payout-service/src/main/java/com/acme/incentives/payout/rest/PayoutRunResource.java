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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.UUID;

@Path("/api/v1/payout-runs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Payout runs")
public class PayoutRunResource {

    /** {@code partnerIds} limits the run to some locations (e.g. after their holds were fixed); absent = all. */
    public record StartRun(@NotBlank String period, @Size(max = 10_000) List<@NotBlank String> partnerIds) {
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
    @Operation(summary = "Run the payout for a period (202; the same period while it runs returns, and resumes, that run)")
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
    @Operation(summary = "A payout run and its progress")
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
    @Operation(summary = "Download one of a run's bank files (the ISO 20022 pain.001 document handed to the bank)")
    public Response bankFile(@PathParam("runId") UUID runId, @PathParam("fileId") UUID fileId) {
        BankFiles.Document document = bankFiles.document(runId, fileId);
        return Response.ok(document.content(), MediaType.APPLICATION_XML_TYPE)
                .header("Content-Disposition", "attachment; filename=\"pain001-" + document.messageId() + ".xml\"")
                .header("Cache-Control", "no-store").build();
    }
}
