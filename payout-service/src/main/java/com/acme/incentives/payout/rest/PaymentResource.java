package com.acme.incentives.payout.rest;

import com.acme.incentives.platform.i18n.PlatformMessages;
import com.acme.incentives.payout.PayoutMessages;
import com.acme.incentives.payout.domain.PaymentStatus;
import com.acme.incentives.payout.domain.Periods;
import com.acme.incentives.payout.rest.EarningDtos.EarningView;
import com.acme.incentives.payout.service.PaymentQueries;
import com.acme.incentives.payout.service.PaymentQueries.PaymentDetail;
import com.acme.incentives.payout.service.PaymentQueries.PaymentView;
import com.acme.incentives.payout.service.PaymentQueries.Totals;
import com.acme.incentives.payout.service.StatementService;
import com.acme.incentives.payout.service.StatementService.LocationStatement;
import com.acme.incentives.payout.service.StatementService.Statement;
import com.acme.incentives.payout.service.StatementService.StatementPayment;
import com.acme.incentives.platform.paging.Page;
import com.acme.incentives.platform.paging.PageRequest;
import com.acme.incentives.platform.paging.Sortable;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.problem.FieldViolation;
import com.acme.incentives.platform.security.Capabilities;
import com.acme.incentives.platform.security.Caller;
import com.acme.incentives.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
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
import java.io.Writer;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;

// Same class path as the other payout resources: JAX-RS picks one class by its path and does not backtrack.
@Path("/api/v1")
@Tag(name = "Payments and statements")
public class PaymentResource {

    /** Stable statement CSV columns (payout-service/README.md): never reorder or rename, only append. */
    static final List<String> STATEMENT_COLUMNS = List.of("period", "partner_id", "location_name", "country",
            "tax_form", "tax_id", "program_id", "payment_id", "payment_status", "hold_reasons", "payment_amount",
            "payment_currency", "payout_amount", "payout_currency", "earning_id", "earning_type", "transaction_id",
            "transaction_date", "customer", "product", "lever", "reason_code", "earning_amount", "earning_currency");

    @Inject
    PaymentQueries payments;

    @Inject
    StatementService statements;

    @Inject
    Caller caller;

    @GET
    @Path("/organizations/{orgId}/payments")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER })
    @Operation(operationId = "listPayments",
            summary = "List an organization's payments (filters: partnerId, period, programId, status)",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_INCENTIVES_READ))
    @APIResponse(responseCode = "200", description = "One page of payments")
    @APIResponse(responseCode = "404", description = "No such organization, or another one's; or a `partnerId`"
            + " outside your role's locations")
    @Sortable({ "createdAt", "updatedAt", "period", "amount", "status", "partnerId", "programId" })
    public Page<PaymentView> list(@PathParam("orgId") UUID orgId,
            @Parameter(description = "Only this location's") @QueryParam("partnerId") String partnerId,
            @Parameter(description = "A month", schema = @Schema(type = SchemaType.STRING, pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$", examples = "2026-10")) @QueryParam("period") String period,
            @Parameter(description = "Only this programme's") @QueryParam("programId") String programId,
            @Parameter(schema = @Schema(type = SchemaType.STRING, enumeration = { "UPCOMING", "IN_PROGRESS", "SENT",
                    "PAID", "ON_HOLD", "FAILED", "REJECTED", "RETURNED", "FORFEITED" }))
            @QueryParam("status") String status, @Valid @BeanParam PageRequest page) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        List<FieldViolation> errors = new ArrayList<>();
        if (period != null && Periods.parse(period).isEmpty()) {
            errors.add(FieldViolation.of("period", PlatformMessages.MONTH_FORMAT));
        }
        if (status != null && !PaymentStatus.isListed(status)) {
            errors.add(FieldViolation.of("status", PayoutMessages.PAYMENT_STATUS));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        requireCovered(partnerId);
        return payments.page(new PaymentQueries.Filter(orgId, limited(), partnerId, period, programId, status, null,
                null), page);
    }

    @GET
    @Path("/organizations/{orgId}/payments/{paymentId}")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER })
    @Operation(operationId = "getPayment", summary = "One payment with its full state history",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_INCENTIVES_READ))
    @APIResponse(responseCode = "200", description = "The payment and its history")
    @APIResponse(responseCode = "404", description = "No such organization or payment, another organization's, or"
            + " outside your role's locations")
    public PaymentDetail detail(@PathParam("orgId") UUID orgId, @PathParam("paymentId") UUID paymentId) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        return payments.detail(orgId, limited(), paymentId);
    }

    @GET
    @Path("/organizations/{orgId}/statements/{period}")
    @Produces({ MediaType.APPLICATION_JSON, "text/csv" })
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER })
    @Operation(operationId = "getStatement", summary = "Statement per location for a period: payments with earning"
            + " lines, holds, totals; JSON, or CSV with Accept: text/csv (one row per earning line)",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_INCENTIVES_READ))
    @APIResponse(responseCode = "200", description = "The statement, or (Accept: text/csv) its earning lines as CSV"
            + " with the stable columns of payout-service/README.md", content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = Statement.class)),
                    @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING,
                            examples = "period,partner_id,location_name,..."))})
    @APIResponse(responseCode = "404", description = "No such organization, or another one's; or a `partnerId`"
            + " outside your role's locations")
    public Response statement(@PathParam("orgId") UUID orgId, @PathParam("period") @Parameter(description = "A month", schema = @Schema(type = SchemaType.STRING, pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$", examples = "2026-10")) String period,
            @Parameter(description = "Only this location's") @QueryParam("partnerId") String partnerId,
            @Parameter(description = Csv.BOM_DESCRIPTION, schema = @Schema(type = SchemaType.STRING,
                    enumeration = { "true", "false" })) @QueryParam(Csv.BOM_PARAMETER)
            @Pattern(regexp = Csv.BOM_VALUES) String bom,
            @Context HttpHeaders headers) {
        if (Csv.wanted(headers)) {
            return statementCsv(orgId, period, partnerId, bom);
        }
        return Response.ok(build(orgId, period, partnerId), MediaType.APPLICATION_JSON_TYPE).build();
    }

    private Response statementCsv(UUID orgId, String period, String partnerId, String bom) {
        Statement statement = build(orgId, period, partnerId);
        return Csv.download("statement-" + orgId + "-" + period + ".csv", bom, STATEMENT_COLUMNS, w -> {
            for (LocationStatement l : statement.locations()) {
                for (StatementPayment sp : l.payments()) {
                    PaymentView p = sp.payment();
                    for (EarningView e : sp.lines()) {
                        row(w, statement.period(), l, p, e);
                    }
                }
                for (EarningView e : l.unpaidEarnings()) {
                    row(w, statement.period(), l, null, e);
                }
            }
        });
    }

    private static void row(Writer w, String period, LocationStatement l, PaymentView p, EarningView e) {
        Csv.line(w, Arrays.asList(period, l.partnerId(), l.name(), l.country(), l.taxForm(), l.taxId(),
                e.programId(), p == null ? null : p.id(), p == null ? "UNPAID" : p.status(),
                p == null ? null : String.join(";", p.holdReasons()), p == null ? null : p.amount(),
                p == null ? null : p.currency(), p == null ? null : p.payoutAmount(),
                p == null ? null : p.payoutCurrency(), e.earningId(), e.type(), e.transactionId(),
                e.transactionDate(), e.customer(), e.product(), e.lever(), e.reasonCode(), e.earningAmount(),
                e.earningCurrency()));
    }

    @GET
    @Path("/organizations/{orgId}/summary")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER })
    @Operation(operationId = "getPayoutSummary",
            summary = "Totals per currency: paid to date, unpaid earnings, upcoming payment, on hold",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_INCENTIVES_READ))
    @APIResponse(responseCode = "200", description = "Totals per currency (amounts as decimal strings)")
    @APIResponse(responseCode = "404", description = "No such organization, or another one's")
    public Totals summary(@PathParam("orgId") UUID orgId) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        return payments.totals(orgId, limited(), null, null);
    }

    private Statement build(UUID orgId, String period, String partnerId) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        YearMonth month = Periods.parse(period)
                .orElseThrow(() -> ApiException.invalidField("period", PlatformMessages.MONTH_FORMAT));
        requireCovered(partnerId);
        return statements.statement(orgId, limited(), partnerId, month);
    }

    private Set<String> limited() {
        return caller.isOperator() ? Set.of() : caller.locations();
    }

    private void requireCovered(String partnerId) {
        if (partnerId != null && !caller.coversLocation(partnerId)) {
            throw ApiException.notFound(PlatformMessages.LOCATION_NOT_FOUND, partnerId);
        }
    }
}
