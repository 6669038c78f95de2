package com.acme.incentives.payout.rest;

import com.acme.incentives.payout.service.ProfileDtos;
import com.acme.incentives.payout.domain.BankProfile;
import com.acme.incentives.payout.domain.Codes;
import com.acme.incentives.payout.domain.ReviewReason;
import com.acme.incentives.payout.service.ProfileDtos.ApproveBankProfile;
import com.acme.incentives.payout.service.ProfileDtos.BankProfileReviewItem;
import com.acme.incentives.payout.service.ProfileDtos.BankProfileView;
import com.acme.incentives.payout.service.ProfileDtos.RejectBankProfile;
import com.acme.incentives.payout.service.BankProfileReviews;
import com.acme.incentives.platform.concurrency.VersionChecked;
import com.acme.incentives.platform.concurrency.Versions;
import com.acme.incentives.platform.i18n.Languages;
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
import jakarta.validation.constraints.NotNull;
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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The operators' review of bank profiles the validation sent to a person (IN_REVIEW). Named after the public noun of
 * bank profiles, {@code payment-profiles}: the queue at {@code /payment-profile-reviews}, a decision at
 * {@code /payment-profiles/{profileId}/approve|reject}, beside the organization's own
 * {@code /organizations/{orgId}/payment-profiles/...} as an operator's hold is beside its payments.
 */
// Same class path as the other payout resources: JAX-RS picks one class by its path and does not backtrack.
@Path("/api/v1")
@Tag(name = "Tax and bank profiles")
public class BankProfileReviewResource {

    @Inject
    BankProfileReviews reviews;

    @Inject
    Caller caller;

    @GET
    @Path("/payment-profile-reviews")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.PROGRAM_OPERATOR)
    @Operation(operationId = "listBankProfileReviews", summary = "List every organization's bank profiles waiting for"
            + " an operator's review (IN_REVIEW), the longest waiting first, each with why (filters: reason,"
            + " bankCountry, organizationId)")
    @APIResponse(responseCode = "200", description = "One page of bank profiles in review (accounts masked)")
    @Sortable({ "submittedAt", "name", "bankCountry", "currency" })
    public Page<BankProfileReviewItem> queue(
            @Parameter(description = "Only profiles in review for this reason",
                    schema = @Schema(implementation = ReviewReason.class)) @QueryParam("reason") String reason,
            @Parameter(description = "Only profiles of a bank in this country", schema = @Schema(
                    type = SchemaType.STRING, pattern = "^[A-Z]{2}$", examples = "DE"))
            @QueryParam("bankCountry") String bankCountry,
            @Parameter(description = "Only this organization's", schema = @Schema(type = SchemaType.STRING,
                    format = "uuid")) @QueryParam("organizationId") String organizationId,
            @Valid @BeanParam PageRequest page) {
        List<FieldViolation> errors = new ArrayList<>();
        if (reason != null && !ReviewReason.isName(reason)) {
            errors.add(FieldViolation.of("reason", PlatformMessages.TYPE_ONE_OF, Arrays.stream(ReviewReason.values())
                    .map(Enum::name).collect(Collectors.joining(", "))));
        }
        if (bankCountry != null && !Codes.isCountry(bankCountry)) {
            errors.add(FieldViolation.of("bankCountry", PlatformMessages.COUNTRY_CODE));
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
        return Page.of(reviews.queue(new BankProfileReviews.Filter(reason, bankCountry, organization), page), page,
                BankProfileReviewResource::item);
    }

    @POST
    @Path("/payment-profiles/{profileId}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.PROGRAM_OPERATOR)
    @Idempotent
    @VersionChecked
    @Operation(operationId = "approveBankProfile", summary = "Approve a bank profile in review (operators; `If-Match`:"
            + " the version reviewed): it becomes APPROVED, the decision recorded with an optional note, and its"
            + " locations' payout profiles are complete again if nothing else is missing")
    @APIResponse(responseCode = "200", description = "The approved profile (account masked) with its review",
            headers = @Header(name = "ETag", ref = "ETag"), content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = BankProfileView.class)))
    @APIResponse(responseCode = "404", description = "No such bank profile")
    @APIResponse(responseCode = "409", description = "The profile is not in review (its `profileStatus` is in the problem):"
            + " already decided, or never sent to review: `/problems/conflict`")
    public Response approve(@PathParam("profileId") UUID profileId, @Valid @NotNull ApproveBankProfile body,
            @Context HttpHeaders headers) {
        BankProfile profile = reviews.approve(profileId, headers.getHeaderString(Versions.IF_MATCH),
                caller.subject(), body.note());
        return Versions.tagged(Response.ok(ProfileResource.view(profile), MediaType.APPLICATION_JSON_TYPE),
                profile.version).build();
    }

    @POST
    @Path("/payment-profiles/{profileId}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.PROGRAM_OPERATOR)
    @Idempotent
    @VersionChecked
    @Operation(operationId = "rejectBankProfile", summary = "Reject a bank profile in review with a reason the"
            + " partner reads (operators; `If-Match`: the version reviewed): it becomes ACTION_REQUIRED"
            + " (OPERATOR_REJECTED) until the partner corrects it")
    @APIResponse(responseCode = "200", description = "The rejected profile (account masked) with its review",
            headers = @Header(name = "ETag", ref = "ETag"), content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = BankProfileView.class)))
    @APIResponse(responseCode = "404", description = "No such bank profile")
    @APIResponse(responseCode = "409", description = "The profile is not in review (its `profileStatus` is in the problem):"
            + " already decided, or never sent to review: `/problems/conflict`")
    public Response reject(@PathParam("profileId") UUID profileId, @Valid @NotNull RejectBankProfile body,
            @Context HttpHeaders headers) {
        BankProfile profile = reviews.reject(profileId, headers.getHeaderString(Versions.IF_MATCH),
                caller.subject(), body.reason());
        return Versions.tagged(Response.ok(ProfileResource.view(profile), MediaType.APPLICATION_JSON_TYPE),
                profile.version).build();
    }

    static BankProfileReviewItem item(BankProfile b) {
        return new BankProfileReviewItem(b.id, b.organizationId, b.name, b.bankCountry, b.currency, b.method,
                b.accountKind, b.maskedAccount(), b.beneficiary, b.reviewReason, b.statusReason(Languages.current()),
                b.updatedAt, b.updatedBy, b.version);
    }
}
