package com.acme.incentives.eligibility.rest;

import com.acme.incentives.eligibility.service.ProgramDtos;
import com.acme.incentives.eligibility.domain.Program;
import com.acme.incentives.eligibility.service.ProgramDtos.CriterionView;
import com.acme.incentives.eligibility.service.ProgramDtos.ProgramInput;
import com.acme.incentives.eligibility.service.ProgramDtos.ProgramView;
import com.acme.incentives.eligibility.jobs.BoundaryJob;
import com.acme.incentives.eligibility.service.ProgramService;
import com.acme.incentives.platform.paging.Page;
import com.acme.incentives.platform.paging.PageRequest;
import com.acme.incentives.platform.security.Capabilities;
import com.acme.incentives.platform.paging.Sortable;
import com.acme.incentives.platform.security.Caller;
import com.acme.incentives.platform.security.Roles;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Programmes and their criteria. Anyone with an incentive role reads them (they are the vendor's public rules);
 * only operators change them, and a change is applied to every location by the boundary job right after it commits.
 */
@Path("/api/v1/programs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Programmes")
public class ProgramResource {

    private static final String PROGRAM_ID = "[a-z0-9][a-z0-9-]{1,62}";
    private static final String PROGRAM_ID_MESSAGE = "{incentives.slug}";

    @Inject
    ProgramService programs;

    @Inject
    BoundaryJob boundaryJob;

    @Inject
    Caller caller;

    @GET
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER,
            Roles.API_INCENTIVES_READ })
    @Operation(operationId = "listPrograms", summary = "List programmes",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_INCENTIVES_READ))
    @APIResponse(responseCode = "200", description = "One page of programmes")
    @Sortable({ "id", "name", "partnerType", "active", "updatedAt" })
    public Page<ProgramView> list(@Valid @BeanParam PageRequest page) {
        return Page.of(programs.list(page), page, this::view);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER,
            Roles.API_INCENTIVES_READ })
    @Operation(operationId = "getProgram", summary = "Read a programme and its criteria",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_INCENTIVES_READ))
    @APIResponse(responseCode = "200", description = "The programme")
    @APIResponse(responseCode = "404", description = "No such programme")
    public ProgramView get(@PathParam("id") @Pattern(regexp = PROGRAM_ID, message = PROGRAM_ID_MESSAGE) String id) {
        return view(programs.find(id));
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(Roles.PROGRAM_OPERATOR)
    @Operation(operationId = "putProgram",
            summary = "Create or change a programme's criteria (operators); takes effect for every location")
    @APIResponse(responseCode = "200", description = "Changed (revision + 1)", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ProgramView.class)))
    @APIResponse(responseCode = "201", description = "Created; `Location` is the programme (getProgram)",
            headers = @Header(name = "Location", ref = "Location"), content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ProgramView.class)))
    public Response put(@PathParam("id") @Pattern(regexp = PROGRAM_ID, message = PROGRAM_ID_MESSAGE) String id,
            @Valid @NotNull ProgramInput body, @Context UriInfo uri) {
        ProgramService.Saved saved = programs.put(id, body, caller.subject());
        boundaryJob.wakeUp(); // after the commit above: the marked locations are visible to the job
        if (saved.created()) {
            // every 201 of the API names what it created, which answers GET (here the request's own URI)
            return Response.created(uri.getAbsolutePath()).entity(view(saved.program())).build();
        }
        return Response.ok(view(saved.program())).build();
    }

    private ProgramView view(Program program) {
        return new ProgramView(program.id, program.name, program.partnerType, programs.countries(program),
                programs.criteria(program).stream()
                        .map(c -> new CriterionView(c.name(), c.kind(), c.agreementType(), c.levels())).toList(),
                program.active, program.revision, program.updatedAt);
    }
}
