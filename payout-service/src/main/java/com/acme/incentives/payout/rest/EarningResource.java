package com.acme.incentives.payout.rest;

import com.acme.incentives.payout.domain.Periods;
import com.acme.incentives.payout.service.EarningDtos;
import com.acme.incentives.platform.i18n.PlatformMessages;
import com.acme.incentives.payout.PayoutMessages;
import com.acme.incentives.payout.domain.EarningType;
import com.acme.incentives.payout.domain.PaymentStatus;
import com.acme.incentives.payout.service.EarningDtos.EarningBatch;
import com.acme.incentives.payout.service.EarningDtos.EarningView;
import com.acme.incentives.payout.service.EarningService;
import com.acme.incentives.payout.service.EarningService.Filter;
import com.acme.incentives.platform.idempotency.Idempotent;
import com.acme.incentives.platform.paging.Page;
import com.acme.incentives.platform.paging.PageRequest;
import com.acme.incentives.platform.paging.Sortable;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.problem.FieldViolation;
import com.acme.incentives.platform.security.Capabilities;
import com.acme.incentives.platform.security.Caller;
import com.acme.incentives.platform.security.Roles;
import com.acme.incentives.platform.web.Csv;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;

@Path("/api/v1")
@Tag(name = "Earnings")
public class EarningResource {

    /** Stable export columns (docs/payout-csv.md): never reorder or rename, only append. */
    static final List<String> CSV_COLUMNS = List.of("earning_id", "partner_id", "program_id", "type", "lever",
            "transaction_id", "transaction_date", "transaction_amount", "transaction_currency", "rate",
            "earning_amount", "earning_currency", "customer", "product", "reason_code", "status", "payment_id");

    @Inject
    EarningService earnings;

    @Inject
    Caller caller;

    @POST
    @Path("/earnings/batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.PARTNER_FEED)
    @Idempotent
    @Operation(operationId = "postEarningsBatch", summary = "Push up to 10,000 earnings (billing system); all valid"
            + " or none stored; idempotent by earning ID")
    @APIResponse(responseCode = "200", description = "Stored: how many were new and how many already present",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = EarningDtos.BatchResult.class)))
    @APIResponse(responseCode = "409", description = "An earning ID was received before with other content (an earning"
            + " cannot change: send an ADJUSTMENT): `/problems/conflict` with member `earningId`; nothing stored")
    public Response batch(@Valid @NotNull EarningBatch body) {
        return Response.ok(earnings.ingest(body.lines())).build();
    }

    @GET
    @Path("/organizations/{orgId}/earnings")
    @Produces({ MediaType.APPLICATION_JSON, "text/csv" })
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER,
            Roles.API_INCENTIVES_READ })
    @Operation(operationId = "listEarnings", summary = "List an organization's earnings (JSON, paged) or export them"
            + " all (Accept: text/csv), filtered by partnerId, period, programme, type, status, payment",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_INCENTIVES_READ))
    @APIResponse(responseCode = "200", description = "One page of earnings, or (Accept: text/csv) every matching one"
            + " as CSV with the stable columns of payout-service/README.md", content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = EarningPage.class)),
                    @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING,
                            examples = "earning_id,partner_id,program_id,type,..."))})
    @APIResponse(responseCode = "404", description = "No such organization, or another one's; or a `partnerId`"
            + " outside your role's locations")
    @Sortable({ "transactionDate", "receivedAt", "earningAmount", "partnerId", "programId", "type" })
    public Response list(@PathParam("orgId") UUID orgId, @BeanParam EarningQuery query,
            @Valid @BeanParam PageRequest page,
            @Parameter(description = Csv.BOM_DESCRIPTION, schema = @Schema(type = SchemaType.STRING,
                    enumeration = { "true", "false" })) @QueryParam(Csv.BOM_PARAMETER)
            @Pattern(regexp = Csv.BOM_VALUES) String bom,
            @Context HttpHeaders headers) {
        if (Csv.wanted(headers)) {
            return export(orgId, query, bom);
        }
        return Response.ok(earnings.page(filter(orgId, query), page), MediaType.APPLICATION_JSON_TYPE).build();
    }

    private Response export(UUID orgId, EarningQuery query, String bom) {
        Filter filter = filter(orgId, query);
        return Csv.download("earnings-" + orgId + ".csv", bom, CSV_COLUMNS, writer -> earnings.forEach(filter,
                e -> Csv.line(writer, Arrays.asList(e.earningId(), e.partnerId(), e.programId(), e.type(),
                        e.lever(), e.transactionId(), e.transactionDate(), e.transactionAmount(),
                        e.transactionCurrency(), e.rate(), e.earningAmount(), e.earningCurrency(), e.customer(),
                        e.product(), e.reasonCode(), e.status(), e.paymentId()))));
    }

    private Filter filter(UUID orgId, EarningQuery q) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        List<FieldViolation> errors = new ArrayList<>();
        YearMonth month = MonthParams.optional("period", q.period, errors);
        if (q.type != null && Arrays.stream(EarningType.values()).noneMatch(t -> t.name().equals(q.type))) {
            errors.add(FieldViolation.of("type", PayoutMessages.EARNING_TYPE));
        }
        if (q.status != null && !q.status.equals("UNPAID") && !PaymentStatus.isListed(q.status)) {
            errors.add(FieldViolation.of("status", PayoutMessages.EARNING_STATUS));
        }
        UUID paymentId = null;
        if (q.paymentId != null) {
            try {
                paymentId = UUID.fromString(q.paymentId);
            } catch (IllegalArgumentException e) {
                errors.add(FieldViolation.of("paymentId", PlatformMessages.UUID_FORMAT));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        Set<String> limited = caller.isOperator() ? Set.of() : caller.locations();
        if (q.partnerId != null && !caller.coversLocation(q.partnerId)) {
            throw ApiException.notFound(PlatformMessages.LOCATION_NOT_FOUND, q.partnerId);
        }
        return new Filter(orgId, limited, q.partnerId, month, q.programId, q.type, q.status, paymentId);
    }

    /** The JSON page of {@link #list}, named for the contract (the method returns a Response). */
    @Schema(name = "PageEarningView")
    public record EarningPage(List<EarningView> items, int page, int size, long totalItems, long totalPages) {
    }

    public static class EarningQuery {
        @Parameter(description = "Only this location's")
        @QueryParam("partnerId")
        public String partnerId;
        @Parameter(description = "Only earnings of this month (transaction date)", schema = @Schema(
                type = SchemaType.STRING, pattern = Periods.PATTERN, examples = "2026-10"))
        @QueryParam("period")
        public String period;
        @Parameter(description = "Only this programme's")
        @QueryParam("programId")
        public String programId;
        @Parameter(schema = @Schema(implementation = EarningType.class))
        @QueryParam("type")
        public String type;
        @Parameter(description = "UNPAID, or the status of the payment that holds or paid it", schema = @Schema(
                type = SchemaType.STRING, enumeration = { "UNPAID", "UPCOMING", "IN_PROGRESS", "SENT", "PAID",
                        "ON_HOLD", "FAILED", "REJECTED", "RETURNED", "FORFEITED" }))
        @QueryParam("status")
        public String status;
        @Parameter(description = "Only the earnings of this payment", schema = @Schema(type = SchemaType.STRING,
                format = "uuid"))
        @QueryParam("paymentId")
        public String paymentId;
    }
}
