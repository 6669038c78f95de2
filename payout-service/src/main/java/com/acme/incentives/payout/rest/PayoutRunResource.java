package com.acme.incentives.payout.rest;

import com.acme.incentives.payout.PayoutMessages;
import com.acme.incentives.payout.domain.PaymentStatus;
import com.acme.incentives.payout.domain.Periods;
import com.acme.incentives.payout.service.BankFiles;
import com.acme.incentives.payout.service.PaymentQueries;
import com.acme.incentives.payout.service.PaymentQueries.PaymentView;
import com.acme.incentives.payout.service.PayoutRunService;
import com.acme.incentives.payout.service.PayoutRunService.RunView;
import com.acme.incentives.payout.service.PayoutRunService.Started;
import com.acme.incentives.platform.i18n.PlatformMessages;
import com.acme.incentives.platform.idempotency.Idempotent;
import com.acme.incentives.platform.paging.Page;
import com.acme.incentives.platform.paging.PageRequest;
import com.acme.incentives.platform.paging.Sortable;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.problem.FieldViolation;
import com.acme.incentives.platform.security.Caller;
import com.acme.incentives.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.time.YearMonth;

@Path("/api/v1/payout-runs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Payout runs")
public class PayoutRunResource {

    /** {@code partnerIds} limits the run to some locations (e.g. after their holds were fixed); absent = all. */
    public record StartRun(@Schema(pattern = Periods.PATTERN, examples = "2026-10") @NotBlank String period, @Size(max = 10_000) List<@NotBlank String> partnerIds) {
    }

    /** The states of a run ({@link RunView#status()}). */
    static final List<String> RUN_STATUSES = List.of("RUNNING", "COMPLETED");

    @Inject
    PayoutRunService runs;

    @Inject
    BankFiles bankFiles;

    @Inject
    PaymentQueries payments;

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
        YearMonth period = MonthParams.required("period", body.period());
        Started started = runs.start(period, body.partnerIds(), "OPERATOR", caller.subject());
        return Response.status(started.created() ? Response.Status.ACCEPTED : Response.Status.OK)
                .location(uri.getBaseUriBuilder().path("api/v1/payout-runs").path(started.run().id().toString())
                        .build())
                .entity(started.run()).build();
    }

    @GET
    @RolesAllowed(Roles.PROGRAM_OPERATOR)
    @Operation(operationId = "listPayoutRuns", summary = "List payout runs (operators), newest first, each with its"
            + " progress, bank files and totals per currency and payment status (filters: status, period)")
    @APIResponse(responseCode = "200", description = "One page of runs")
    @Sortable({ "startedAt", "completedAt", "period" })
    public Page<RunView> list(
            @Parameter(description = "Only runs in this state", schema = @Schema(type = SchemaType.STRING,
                    enumeration = { "RUNNING", "COMPLETED" })) @QueryParam("status") String status,
            @Parameter(description = "Only runs of this month", schema = @Schema(type = SchemaType.STRING,
                    pattern = Periods.PATTERN, examples = "2026-10")) @QueryParam("period") String period,
            @Valid @BeanParam PageRequest page) {
        List<FieldViolation> errors = new ArrayList<>();
        if (status != null && !RUN_STATUSES.contains(status)) {
            errors.add(FieldViolation.of("status", PlatformMessages.TYPE_ONE_OF, String.join(", ", RUN_STATUSES)));
        }
        YearMonth month = MonthParams.optional("period", period, errors);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return runs.page(status, month, page);
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

    @GET
    @Path("/{id}/payments")
    @RolesAllowed(Roles.PROGRAM_OPERATOR)
    @Operation(operationId = "listPayoutRunPayments", summary = "List a payout run's payments (operators): those it"
            + " issued, held or not, and the held ones it released, each as it stands now (filter: status)")
    @APIResponse(responseCode = "200", description = "One page of the run's payments")
    @APIResponse(responseCode = "404", description = "No such run")
    @Sortable({ "createdAt", "updatedAt", "period", "amount", "status", "partnerId", "programId" })
    public Page<PaymentView> payments(@PathParam("id") UUID id,
            @Parameter(description = "Only payments in this state", schema = @Schema(type = SchemaType.STRING,
                    enumeration = { "UPCOMING", "IN_PROGRESS", "SENT", "PAID", "ON_HOLD", "FAILED", "REJECTED",
                            "RETURNED", "FORFEITED" })) @QueryParam("status") String status,
            @Valid @BeanParam PageRequest page) {
        if (status != null && !PaymentStatus.isListed(status)) {
            throw ApiException.invalidField("status", PayoutMessages.PAYMENT_STATUS);
        }
        runs.requireRun(id);
        return payments.page(new PaymentQueries.Filter(null, Set.of(), null, null, null, status, null, id), page);
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
