package com.acme.incentives.identity.rest;

import com.acme.incentives.identity.service.UserDtos;
import com.acme.incentives.platform.i18n.PlatformMessages;
import com.acme.incentives.identity.domain.UserAccount;
import com.acme.incentives.identity.domain.UserAdministrationPolicy;
import com.acme.incentives.identity.domain.UserStatus;
import com.acme.incentives.identity.service.UserDtos.ChangeLocale;
import com.acme.incentives.identity.service.UserDtos.ChangeRoles;
import com.acme.incentives.identity.service.UserDtos.CreatedUser;
import com.acme.incentives.identity.service.UserDtos.NewUser;
import com.acme.incentives.identity.service.UserDtos.PasswordReset;
import com.acme.incentives.identity.service.UserDtos.UserView;
import com.acme.incentives.identity.service.Actor;
import com.acme.incentives.identity.service.UserProvisioner;
import com.acme.incentives.identity.service.UserService;
import com.acme.incentives.platform.idempotency.Idempotent;
import com.acme.incentives.platform.problem.ApiException;
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
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.UUID;

/**
 * An organization's users. Every operation is open to the admin roles and operators at the door ({@code
 * RolesAllowed}); the organization is then checked against the token (404 for another tenant), then what this caller
 * may do to this user ({@code UserAdministrationPolicy}, 403 with the reason).
 */
@Path("/api/v1/organizations/{orgId}/users")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Users")
@RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.USER_ADMIN, Roles.ACCOUNT_ADMIN,
        Roles.INCENTIVE_ADMIN })
public class UserResource {

    @Inject
    UserService users;

    @Inject
    Caller caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Idempotent
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.USER_ADMIN, Roles.INCENTIVE_ADMIN })
    @Operation(operationId = "createUser",
            summary = "Create a user in Keycloak and the directory; answers its temporary password once",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_USERS_MANAGE))
    @APIResponse(responseCode = "201", description = "Created, pending activation, with its temporary password (not"
            + " in an Idempotency-Key replay)", headers = @Header(name = "Location", ref = "Location"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CreatedUser.class)))
    @APIResponse(responseCode = "403", description = "Your role may not do this to this user"
            + " (UserAdministrationPolicy): `/problems/forbidden` with the reason")
    @APIResponse(responseCode = "404", description = "No such organization, or another one's")
    @APIResponse(responseCode = "409", description = "A user with this email exists (or is being created):"
            + " `/problems/conflict` with member `email`")
    public Response create(@PathParam("orgId") UUID orgId, @Valid @NotNull NewUser body, @Context UriInfo uri) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        UserProvisioner.Provisioned created = users.create(orgId, body, actor());
        return Response.created(uri.getAbsolutePathBuilder().path(created.user().id.toString()).build())
                .entity(new CreatedUser(view(created.user()), created.temporaryPassword())).build();
    }

    @GET
    @Operation(operationId = "listUsers",
            summary = "List the organization's users (admins and operators), optionally by status",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_USERS_READ))
    @APIResponse(responseCode = "200", description = "One page of the organization's users")
    @APIResponse(responseCode = "403", description = "Your role may not do this to this user"
            + " (UserAdministrationPolicy): `/problems/forbidden` with the reason")
    @APIResponse(responseCode = "404", description = "No such organization, or another one's")
    @Sortable({ "email", "lastName", "firstName", "status", "createdAt", "activatedAt" })
    public Page<UserView> list(@PathParam("orgId") UUID orgId,
            @Parameter(description = "Only users in this state", schema = @Schema(implementation = UserStatus.class))
            @QueryParam("status") String status,
            @Valid @BeanParam PageRequest page) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        users.refuseUnlessAllowed(actor(), UserAdministrationPolicy.Operation.READ, null, null);
        return Page.of(users.list(orgId, status(status), page), page, UserResource::view);
    }

    @GET
    @Path("/{userId}")
    @Operation(operationId = "getUser", summary = "Read one user of the organization",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_USERS_READ))
    @APIResponse(responseCode = "200", description = "The user")
    @APIResponse(responseCode = "403", description = "Your role may not do this to this user"
            + " (UserAdministrationPolicy): `/problems/forbidden` with the reason")
    @APIResponse(responseCode = "404", description = "No such organization or user, or another organization's")
    public UserView get(@PathParam("orgId") UUID orgId, @PathParam("userId") UUID userId) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        users.refuseUnlessAllowed(actor(), UserAdministrationPolicy.Operation.READ, null, null);
        return view(users.find(orgId, userId));
    }

    @PUT
    @Path("/{userId}/roles")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "changeUserRoles", summary = "Replace a user's roles and incentive locations",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_ROLES_ASSIGN))
    @APIResponse(responseCode = "200", description = "The user with its new roles")
    @APIResponse(responseCode = "403", description = "Your role may not do this to this user"
            + " (UserAdministrationPolicy): `/problems/forbidden` with the reason")
    @APIResponse(responseCode = "404", description = "No such organization or user, or another organization's")
    @APIResponse(responseCode = "409", description = "It would leave the organization without an active global"
            + " admin: `/problems/conflict`")
    public UserView changeRoles(@PathParam("orgId") UUID orgId, @PathParam("userId") UUID userId,
            @Valid @NotNull ChangeRoles body) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        return view(users.changeRoles(orgId, userId, body, actor()));
    }

    @PUT
    @Path("/{userId}/locale")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.USER_ADMIN, Roles.INCENTIVE_ADMIN })
    @Operation(operationId = "changeUserLocale", summary = "Set or remove a user's preferred language (en, ja, ko):"
            + " the language of the emails the platform sends them",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_USERS_MANAGE))
    @APIResponse(responseCode = "200", description = "The user with its new language")
    @APIResponse(responseCode = "403", description = "Your role may not do this to this user"
            + " (UserAdministrationPolicy): `/problems/forbidden` with the reason")
    @APIResponse(responseCode = "404", description = "No such organization or user, or another organization's")
    public UserView changeLocale(@PathParam("orgId") UUID orgId, @PathParam("userId") UUID userId,
            @Valid @NotNull ChangeLocale body) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        return view(users.changeLocale(orgId, userId, body.locale(), actor()));
    }

    @POST
    @Path("/{userId}/password-reset")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.USER_ADMIN, Roles.INCENTIVE_ADMIN })
    @Operation(operationId = "resetUserPassword", summary = "Set a new temporary password (answered once; the user"
            + " must change it) and end the user's sessions",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_USERS_MANAGE))
    @APIResponse(responseCode = "200", description = "The new temporary password, shown this once")
    @APIResponse(responseCode = "403", description = "Your role may not do this to this user"
            + " (UserAdministrationPolicy): `/problems/forbidden` with the reason")
    @APIResponse(responseCode = "404", description = "No such organization or user, or another organization's")
    @APIResponse(responseCode = "409", description = "The user is deactivated: `/problems/conflict`")
    public PasswordReset resetPassword(@PathParam("orgId") UUID orgId, @PathParam("userId") UUID userId) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        return new PasswordReset(userId, users.resetPassword(orgId, userId, actor()));
    }

    @DELETE
    @Path("/{userId}")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.USER_ADMIN, Roles.INCENTIVE_ADMIN })
    @Operation(operationId = "deactivateUser", summary = "Deactivate a user: it can no longer sign in and its"
            + " sessions end (kept in the directory)",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_USERS_MANAGE))
    @APIResponse(responseCode = "204", description = "Deactivated")
    @APIResponse(responseCode = "403", description = "Your role may not do this to this user"
            + " (UserAdministrationPolicy): `/problems/forbidden` with the reason")
    @APIResponse(responseCode = "404", description = "No such organization or user, or another organization's")
    @APIResponse(responseCode = "409", description = "It is the organization's last active global admin:"
            + " `/problems/conflict`")
    @APIResponse(responseCode = "422", description = "You cannot deactivate your own account: `/problems/unprocessable`")
    public Response deactivate(@PathParam("orgId") UUID orgId, @PathParam("userId") UUID userId) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        users.deactivate(orgId, userId, actor());
        return Response.noContent().build();
    }

    @POST
    @Path("/{userId}/reactivation")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.USER_ADMIN, Roles.INCENTIVE_ADMIN })
    @Operation(operationId = "reactivateUser", summary = "Reactivate a deactivated user",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_USERS_MANAGE))
    @APIResponse(responseCode = "200", description = "The user, active again")
    @APIResponse(responseCode = "403", description = "Your role may not do this to this user"
            + " (UserAdministrationPolicy): `/problems/forbidden` with the reason")
    @APIResponse(responseCode = "404", description = "No such organization or user, or another organization's")
    public UserView reactivate(@PathParam("orgId") UUID orgId, @PathParam("userId") UUID userId) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        return view(users.reactivate(orgId, userId, actor()));
    }

    /** Parsed here rather than by JAX-RS, which would answer an unknown value with 404 instead of naming it. */
    private static UserStatus status(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UserStatus.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidField("status", PlatformMessages.TYPE_ONE_OF,
                    "PENDING_ACTIVATION, ACTIVE, DEACTIVATED");
        }
    }

    private Actor actor() {
        return new Actor(caller.subject(), caller.roles());
    }

    static UserView view(UserAccount u) {
        return new UserView(u.id, u.organizationId, u.email, u.firstName, u.lastName, List.copyOf(u.roles),
                List.copyOf(u.locations), u.status, u.activatedAt, u.createdAt, u.createdBy, u.updatedAt,
                u.updatedBy, u.locale, u.nonCriticalEmails);
    }
}
