package com.acme.incentives.eligibility.rest;

import com.acme.incentives.eligibility.service.FeedDtos;
import com.acme.incentives.eligibility.service.EligibilityDtos;
import com.acme.incentives.platform.i18n.Languages;
import com.acme.incentives.platform.i18n.PlatformMessages;
import com.acme.incentives.eligibility.domain.FactStatus;
import com.acme.incentives.eligibility.domain.PartnerLocation;
import com.acme.incentives.eligibility.service.EligibilityDtos.HistoryEntry;
import com.acme.incentives.eligibility.service.EligibilityDtos.LocationEligibility;
import com.acme.incentives.eligibility.service.FeedDtos.AgreementInput;
import com.acme.incentives.eligibility.service.FeedDtos.AgreementView;
import com.acme.incentives.eligibility.service.FeedDtos.CompetencyInput;
import com.acme.incentives.eligibility.service.FeedDtos.CompetencyView;
import com.acme.incentives.eligibility.service.FeedDtos.FirstTransactionInput;
import com.acme.incentives.eligibility.service.FeedDtos.FirstTransactionView;
import com.acme.incentives.eligibility.service.EligibilityQueries;
import com.acme.incentives.eligibility.service.FactStore.AgreementRow;
import com.acme.incentives.eligibility.service.FactStore.CompetencyRow;
import com.acme.incentives.eligibility.service.FactStore.FirstTransactionRow;
import com.acme.incentives.eligibility.service.FeedService;
import com.acme.incentives.eligibility.service.FeedService.FeedOutcome;
import com.acme.incentives.platform.paging.Page;
import com.acme.incentives.platform.paging.PageRequest;
import com.acme.incentives.platform.paging.Sortable;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.security.Capabilities;
import com.acme.incentives.platform.security.Caller;
import com.acme.incentives.platform.security.Roles;
import io.vertx.core.http.HttpServerResponse;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * A location's facts (written by partner feeds only) and its eligibility (read by its organization's incentive roles
 * and operators). Facts for a partner ID not known yet are kept and applied when identity-service announces it.
 */
@Path("/api/v1/locations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Locations and eligibility")
public class LocationResource {

    private static final String PROGRAM_ID = "[a-z0-9][a-z0-9-]{1,62}";
    private static final String CONTENT_LANGUAGE = "The language of the reasons";

    @Inject
    Caller caller;

    @Inject
    FeedService feed;

    @Inject
    EligibilityQueries queries;

    /** Named apart from identity-service's location (another shape) in the one contract. */
    @Schema(name = "EligibilityLocation", requiredProperties = { "partnerId", "organizationId", "country",
            "partnerType", "knownSince" })
    public record LocationView(String partnerId, UUID organizationId, String country,
            @Schema(implementation = com.acme.incentives.eligibility.domain.PartnerType.class) String partnerType,
            Instant knownSince) {
    }

    @GET
    @Path("/{partnerId}")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER,
            Roles.API_INCENTIVES_READ })
    @Operation(operationId = "getEligibilityLocation",
            summary = "A location as eligibility knows it (from identity-service's LocationAdded)",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_INCENTIVES_READ))
    @APIResponse(responseCode = "200", description = "The location")
    @APIResponse(responseCode = "404", description = "Unknown location, another organization's, or outside your"
            + " role's locations")
    public LocationView get(@PathParam("partnerId") @Pattern(regexp = FeedDtos.PARTNER_ID,
            message = FeedDtos.PARTNER_ID_MESSAGE) String partnerId) {
        PartnerLocation location = readable(partnerId);
        return new LocationView(location.partnerId, location.organizationId, location.country, location.partnerType,
                location.knownSince);
    }

    @PUT
    @Path("/{partnerId}/agreements/{agreementId}")
    @RolesAllowed(Roles.PARTNER_FEED)
    @Operation(operationId = "putAgreement",
            summary = "Create or replace one agreement of a location (partner feeds); a repeat changes nothing")
    @APIResponse(responseCode = "200", description = "Stored (or unchanged); `locationKnown` false: kept until"
            + " identity-service announces the location")
    public AgreementView putAgreement(
            @PathParam("partnerId") @Pattern(regexp = FeedDtos.PARTNER_ID,
                    message = FeedDtos.PARTNER_ID_MESSAGE) String partnerId,
            @PathParam("agreementId") @Pattern(regexp = FeedDtos.FACT_ID,
                    message = FeedDtos.FACT_ID_MESSAGE) String agreementId,
            @Valid @NotNull AgreementInput body) {
        FeedValidation validation = new FeedValidation();
        validation.dates("", body.validFrom(), body.validTo());
        validation.check();
        FeedOutcome outcome = feed.apply(List.of(new AgreementRow(partnerId, agreementId, body.type(), body.status(),
                body.validFrom(), body.validTo())), List.of(), List.of(), "AGREEMENT_FED");
        return new AgreementView(partnerId, agreementId, body.type(), body.status(), body.validFrom(), body.validTo(),
                outcome.rowsChanged() > 0, outcome.pendingPartnerIds().isEmpty());
    }

    @PUT
    @Path("/{partnerId}/competencies/{competencyId}")
    @RolesAllowed(Roles.PARTNER_FEED)
    @Operation(operationId = "putCompetency",
            summary = "Create or replace one competency of a location (partner feeds); a repeat changes nothing")
    @APIResponse(responseCode = "200", description = "Stored (or unchanged); `locationKnown` false: kept until"
            + " identity-service announces the location")
    public CompetencyView putCompetency(
            @PathParam("partnerId") @Pattern(regexp = FeedDtos.PARTNER_ID,
                    message = FeedDtos.PARTNER_ID_MESSAGE) String partnerId,
            @PathParam("competencyId") @Pattern(regexp = FeedDtos.FACT_ID,
                    message = FeedDtos.FACT_ID_MESSAGE) String competencyId,
            @Valid @NotNull CompetencyInput body) {
        FeedValidation validation = new FeedValidation();
        validation.dates("", body.validFrom(), body.validTo());
        validation.check();
        FactStatus status = body.status() == null ? FactStatus.ACTIVE : body.status();
        FeedOutcome outcome = feed.apply(List.of(), List.of(new CompetencyRow(partnerId, competencyId,
                body.name().trim(), body.level(), status, body.validFrom(), body.validTo())), List.of(),
                "COMPETENCY_FED");
        return new CompetencyView(partnerId, competencyId, body.name().trim(), body.level(), status, body.validFrom(),
                body.validTo(), outcome.rowsChanged() > 0, outcome.pendingPartnerIds().isEmpty());
    }

    @PUT
    @Path("/{partnerId}/first-transaction")
    @RolesAllowed(Roles.PARTNER_FEED)
    @Operation(operationId = "putFirstTransaction",
            summary = "Record the date of a location's first transaction (indirect resellers; partner feeds)")
    @APIResponse(responseCode = "200", description = "Stored (or unchanged); `locationKnown` false: kept until"
            + " identity-service announces the location")
    public FirstTransactionView putFirstTransaction(
            @PathParam("partnerId") @Pattern(regexp = FeedDtos.PARTNER_ID,
                    message = FeedDtos.PARTNER_ID_MESSAGE) String partnerId,
            @Valid @NotNull FirstTransactionInput body) {
        FeedOutcome outcome = feed.apply(List.of(), List.of(),
                List.of(new FirstTransactionRow(partnerId, body.date())), "FIRST_TRANSACTION_FED");
        return new FirstTransactionView(partnerId, body.date(), outcome.rowsChanged() > 0,
                outcome.pendingPartnerIds().isEmpty());
    }

    @GET
    @Path("/{partnerId}/eligibility")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER,
            Roles.API_INCENTIVES_READ })
    @Operation(operationId = "getLocationEligibility", summary = "The location's checklist for each programme of its"
            + " partner type: each criterion, why, since when",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_INCENTIVES_READ))
    @APIResponse(responseCode = "200", description = "The checklist; each criterion's `reason` in the caller's"
            + " language (Accept-Language: English, Japanese or Korean), its `reasonCode` and values the same in all",
            headers = @Header(name = Languages.CONTENT_LANGUAGE, description = CONTENT_LANGUAGE,
                    schema = @Schema(type = SchemaType.STRING, enumeration = { "en", "ja", "ko" })))
    @APIResponse(responseCode = "404", description = "Unknown location, another organization's, or outside your"
            + " role's locations")
    public LocationEligibility eligibility(@PathParam("partnerId") @Pattern(regexp = FeedDtos.PARTNER_ID,
            message = FeedDtos.PARTNER_ID_MESSAGE) String partnerId, @Context HttpServerResponse response) {
        // readable()'s checks, with the location read in the checklist's own statement (EligibilityQueries.current),
        // which a partner's caller limits to its organization: another organization's location is read as little as
        // an unknown one, and answered alike.
        if (!caller.coversLocation(partnerId)
                || (!caller.isOperator() && caller.organizationId().isEmpty())) {
            throw ApiException.notFound(PlatformMessages.LOCATION_NOT_FOUND, partnerId);
        }
        Optional<UUID> organization = caller.isOperator() ? Optional.empty() : caller.organizationId();
        LocationEligibility checklist = queries.current(partnerId, organization, Languages.current())
                .orElseThrow(() -> ApiException.notFound(PlatformMessages.LOCATION_NOT_FOUND, partnerId));
        caller.requireOrganization(checklist.organizationId(), PlatformMessages.LOCATION_NOT_FOUND, partnerId);
        inLanguage(response);
        return checklist;
    }

    @GET
    @Path("/{partnerId}/eligibility/history")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER,
            Roles.API_INCENTIVES_READ })
    @Operation(operationId = "listEligibilityHistory",
            summary = "Every change of the location's eligibility outcome with its reasons, newest first",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_INCENTIVES_READ))
    @APIResponse(responseCode = "200", description = "One page of the history; reasons as in the checklist",
            headers = @Header(name = Languages.CONTENT_LANGUAGE, description = CONTENT_LANGUAGE,
                    schema = @Schema(type = SchemaType.STRING, enumeration = { "en", "ja", "ko" })))
    @APIResponse(responseCode = "404", description = "Unknown location, another organization's, or outside your"
            + " role's locations")
    @Sortable({ "evaluatedAt", "programId" })
    public Page<HistoryEntry> history(
            @PathParam("partnerId") @Pattern(regexp = FeedDtos.PARTNER_ID,
                    message = FeedDtos.PARTNER_ID_MESSAGE) String partnerId,
            @QueryParam("programId") @Pattern(regexp = PROGRAM_ID, message = "{incentives.program-id}") String programId,
            @Valid @BeanParam PageRequest page, @Context HttpServerResponse response) {
        readable(partnerId);
        return queries.history(partnerId, programId, page, inLanguage(response));
    }

    /**
     * The caller's language for the reasons of a checklist, which the answer then says in {@code Content-Language} as
     * problem answers do; the answer varies with {@code Accept-Language}, which shared caches must know.
     */
    private static Locale inLanguage(HttpServerResponse response) {
        Locale language = Languages.current();
        response.putHeader(Languages.CONTENT_LANGUAGE, Languages.tag(language));
        response.putHeader(HttpHeaders.VARY, Languages.ACCEPT_LANGUAGE);
        return language;
    }

    /** 404 for an unknown location, another organization's, or one outside the caller's limited locations. */
    private PartnerLocation readable(String partnerId) {
        PartnerLocation location = PartnerLocation.findById(partnerId);
        if (location == null || !caller.coversLocation(partnerId)) {
            throw ApiException.notFound(PlatformMessages.LOCATION_NOT_FOUND, partnerId);
        }
        caller.requireOrganization(location.organizationId, PlatformMessages.LOCATION_NOT_FOUND, partnerId);
        return location;
    }
}
