package com.acme.incentives.payout.rest;

import com.acme.incentives.payout.service.EarningDtos;
import com.acme.incentives.platform.i18n.PlatformMessages;
import com.acme.incentives.payout.PayoutMessages;
import com.acme.incentives.payout.domain.Codes;
import com.acme.incentives.payout.domain.HoldReason;
import com.acme.incentives.payout.domain.PaymentStatus;
import com.acme.incentives.payout.domain.Periods;
import com.acme.incentives.payout.service.EarningDtos.EarningView;
import com.acme.incentives.payout.service.OperatorHolds;
import com.acme.incentives.payout.service.PaymentQueries;
import com.acme.incentives.payout.service.PaymentQueries.PaymentDetail;
import com.acme.incentives.payout.service.PaymentQueries.PaymentView;
import com.acme.incentives.payout.service.PaymentQueries.Totals;
import com.acme.incentives.payout.service.StatementService;
import com.acme.incentives.payout.service.StatementService.LocationStatement;
import com.acme.incentives.payout.service.StatementService.Statement;
import com.acme.incentives.payout.service.StatementService.StatementPayment;
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
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.io.Writer;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

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
    OperatorHolds holds;

    @Inject
    Caller caller;

    @GET
    @Path("/organizations/{orgId}/payments")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER,
            Roles.API_INCENTIVES_READ })
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
            @Parameter(description = "A month", schema = @Schema(type = SchemaType.STRING, pattern = Periods.PATTERN, examples = "2026-10")) @QueryParam("period") String period,
            @Parameter(description = "Only this programme's") @QueryParam("programId") String programId,
            @Parameter(schema = @Schema(type = SchemaType.STRING, enumeration = { "UPCOMING", "IN_PROGRESS", "SENT",
                    "PAID", "ON_HOLD", "FAILED", "REJECTED", "RETURNED", "FORFEITED" }))
            @QueryParam("status") String status, @Valid @BeanParam PageRequest page) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        List<FieldViolation> errors = new ArrayList<>();
        YearMonth month = MonthParams.optional("period", period, errors);
        if (status != null && !PaymentStatus.isListed(status)) {
            errors.add(FieldViolation.of("status", PayoutMessages.PAYMENT_STATUS));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        requireCovered(partnerId);
        return payments.page(new PaymentQueries.Filter(orgId, limited(), partnerId, month, programId, status, null,
                null), page);
    }

    /** Why an operator holds or releases a payment: kept in the payment's history. */
    public record OperatorReason(@NotBlank @Size(max = 500) String reason) {
    }

    /** The amount filters: a decimal, as money is written (an optional sign, at most 4 decimals). */
    private static final String AMOUNT = "-?[0-9]{1,15}(\\.[0-9]{1,4})?";

    @GET
    @Path("/held-payments")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.PROGRAM_OPERATOR)
    @Operation(operationId = "listHeldPayments", summary = "List every organization's held payments (operators), the"
            + " soonest forfeit first, each with its forfeit date (filters: reason, currency, minAmount, maxAmount,"
            + " heldBefore, organizationId, partnerId)")
    @APIResponse(responseCode = "200", description = "One page of held payments")
    @Sortable({ "forfeitsAt", "heldSince", "amount", "currency", "partnerId", "period", "createdAt" })
    public Page<PaymentView> held(
            @Parameter(description = "Only payments held (among others) for this reason",
                    schema = @Schema(implementation = HoldReason.class)) @QueryParam("reason") String reason,
            @Parameter(description = "Only payments in this currency", schema = @Schema(type = SchemaType.STRING,
                    pattern = "^[A-Z]{3}$", examples = "EUR")) @QueryParam("currency") String currency,
            @Parameter(description = "Only payments of at least this amount (in the payment's currency)",
                    schema = @Schema(type = SchemaType.STRING, pattern = "^-?[0-9]{1,15}(\\.[0-9]{1,4})?$",
                            examples = "1000.00")) @QueryParam("minAmount") String minAmount,
            @Parameter(description = "Only payments of at most this amount (in the payment's currency)",
                    schema = @Schema(type = SchemaType.STRING, pattern = "^-?[0-9]{1,15}(\\.[0-9]{1,4})?$",
                            examples = "50000")) @QueryParam("maxAmount") String maxAmount,
            @Parameter(description = "Only payments held since before this time, or this date (its start, UTC): a"
                    + " hold's age", schema = @Schema(type = SchemaType.STRING, examples = "2026-06-01"))
            @QueryParam("heldBefore") String heldBefore,
            @Parameter(description = "Only this organization's", schema = @Schema(type = SchemaType.STRING,
                    format = "uuid")) @QueryParam("organizationId") String organizationId,
            @Parameter(description = "Only this location's") @QueryParam("partnerId") String partnerId,
            @Valid @BeanParam PageRequest page) {
        List<FieldViolation> errors = new ArrayList<>();
        if (reason != null && Arrays.stream(HoldReason.values()).noneMatch(r -> r.name().equals(reason))) {
            errors.add(FieldViolation.of("reason", PlatformMessages.TYPE_ONE_OF, Arrays.stream(HoldReason.values())
                    .map(Enum::name).collect(Collectors.joining(", "))));
        }
        if (currency != null && !Codes.isCurrency(currency)) {
            errors.add(FieldViolation.of("currency", PlatformMessages.CURRENCY_CODE));
        }
        BigDecimal min = amount("minAmount", minAmount, errors);
        BigDecimal max = amount("maxAmount", maxAmount, errors);
        if (min != null && max != null && max.compareTo(min) < 0) {
            errors.add(FieldViolation.of("maxAmount", PayoutMessages.AMOUNT_RANGE));
        }
        Instant before = null;
        if (heldBefore != null) {
            before = instantOrDate(heldBefore);
            if (before == null) {
                errors.add(FieldViolation.of("heldBefore", PayoutMessages.TIMESTAMP_OR_DATE));
            }
        }
        UUID organization = null;
        if (organizationId != null) {
            try {
                organization = UUID.fromString(organizationId);
            } catch (IllegalArgumentException e) {
                errors.add(FieldViolation.of("organizationId", PlatformMessages.UUID_FORMAT));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return payments.heldPage(new PaymentQueries.Filter(organization, Set.of(), partnerId, null, null,
                PaymentStatus.ON_HOLD.name(), null, null, reason, currency, min, max, before), page);
    }

    private static BigDecimal amount(String field, String value, List<FieldViolation> errors) {
        if (value == null) {
            return null;
        }
        if (!value.matches(AMOUNT)) {
            errors.add(FieldViolation.of(field, PlatformMessages.TYPE_NUMBER));
            return null;
        }
        return new BigDecimal(value);
    }

    /** An instant (ISO 8601 with an offset), or a date: its start in UTC; null when it is neither. */
    private static Instant instantOrDate(String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    @POST
    @Path("/payments/{paymentId}/hold")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.PROGRAM_OPERATOR)
    @Idempotent
    @Operation(operationId = "holdPayment", summary = "Hold a payment not yet in a bank file (operators; UPCOMING or"
            + " ON_HOLD): OPERATOR_HOLD joins its hold reasons, and every run keeps it held until an operator"
            + " releases it")
    @APIResponse(responseCode = "200", description = "The held payment with its history", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PaymentDetail.class)))
    @APIResponse(responseCode = "404", description = "No such payment")
    @APIResponse(responseCode = "409", description = "The payment is already in a bank file or closed (its `paymentStatus`"
            + " is in the problem), already held by an operator, or another payment of its group is held (its"
            + " `heldPaymentId`): `/problems/conflict`")
    public Response hold(@PathParam("paymentId") UUID paymentId, @Valid @NotNull OperatorReason body) {
        holds.hold(paymentId, caller.subject(), body.reason());
        return Response.ok(payments.detail(null, Set.of(), paymentId), MediaType.APPLICATION_JSON_TYPE).build();
    }

    @POST
    @Path("/payments/{paymentId}/release")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.PROGRAM_OPERATOR)
    @Idempotent
    @Operation(operationId = "releasePayment", summary = "Release an operator's hold (operators); the next payout run"
            + " issues the payment if no other reason holds it. Above payout.release.four-eyes-above (USD) two"
            + " operators must release it: the first one's is recorded (202), another's releases it (200)")
    @APIResponse(responseCode = "200", description = "Released: the payment (still ON_HOLD until the next run) with"
            + " its history", content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = PaymentDetail.class)))
    @APIResponse(responseCode = "202", description = "Above the four-eyes threshold: the release is recorded"
            + " (`operatorHold.releaseRequestedBy`) and waits for another operator's", content = @Content(
                    mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PaymentDetail.class)))
    @APIResponse(responseCode = "404", description = "No such payment")
    @APIResponse(responseCode = "409", description = "The payment has no operator hold, or you asked for its release"
            + " already and another operator must approve it (the refusal is in its history): `/problems/conflict`")
    public Response release(@PathParam("paymentId") UUID paymentId, @Valid @NotNull OperatorReason body) {
        OperatorHolds.Outcome outcome = holds.release(paymentId, caller.subject(), body.reason());
        if (outcome == OperatorHolds.Outcome.REFUSED) {
            throw ApiException.conflict(PayoutMessages.RELEASE_NEEDS_ANOTHER_OPERATOR, paymentId);
        }
        return Response.status(outcome == OperatorHolds.Outcome.PENDING ? Response.Status.ACCEPTED
                : Response.Status.OK).entity(payments.detail(null, Set.of(), paymentId))
                .type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Path("/organizations/{orgId}/payments/{paymentId}")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER,
            Roles.API_INCENTIVES_READ })
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
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER,
            Roles.API_INCENTIVES_READ })
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
    public Response statement(@PathParam("orgId") UUID orgId, @PathParam("period") @Parameter(description = "A month", schema = @Schema(type = SchemaType.STRING, pattern = Periods.PATTERN, examples = "2026-10")) String period,
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
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER,
            Roles.API_INCENTIVES_READ })
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
        YearMonth month = MonthParams.required("period", period);
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
