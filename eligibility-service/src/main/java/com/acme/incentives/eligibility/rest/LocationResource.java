package com.acme.incentives.eligibility.rest;

import com.acme.incentives.eligibility.domain.KnownLocation;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.security.Caller;
import com.acme.incentives.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.UUID;

@Path("/api/v1/locations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Locations")
public class LocationResource {

    @Inject
    Caller caller;

    public record LocationView(String partnerId, UUID organizationId, String country, String partnerType,
            Instant knownSince) {
    }

    @GET
    @Path("/{partnerId}")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER })
    @Operation(summary = "A location as eligibility knows it (from identity-service's LocationAdded)")
    public LocationView get(
            @PathParam("partnerId") @Pattern(regexp = "[0-9]{1,12}", message = "must be digits only") String partnerId) {
        KnownLocation location = KnownLocation.findById(partnerId);
        if (location == null || !caller.isOperator() && !caller.coversLocation(partnerId)) {
            throw ApiException.notFound("Location " + partnerId);
        }
        caller.requireOrganization(location.organizationId, "Location " + partnerId);
        return new LocationView(location.partnerId, location.organizationId, location.country, location.partnerType,
                location.knownSince);
    }
}
