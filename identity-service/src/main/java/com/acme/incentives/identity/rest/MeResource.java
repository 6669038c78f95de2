package com.acme.incentives.identity.rest;

import com.acme.incentives.identity.service.UserDtos;
import com.acme.incentives.identity.service.UserDtos.ChangeLocale;
import com.acme.incentives.identity.service.UserDtos.EmailPreferences;
import com.acme.incentives.identity.service.UserDtos.UserView;
import com.acme.incentives.identity.service.ActivationService;
import com.acme.incentives.identity.service.UserService;
import com.acme.incentives.platform.security.Capabilities;
import com.acme.incentives.platform.security.Caller;
import com.acme.incentives.platform.security.Roles;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** Who am I: answered from the verified token alone, so it works for every signed-in user and machine client. */
@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Me")
public class MeResource {

    @Inject
    Caller caller;

    @Inject
    JsonWebToken token;

    @Inject
    ActivationService activation;

    @Inject
    UserService users;

    @Schema(requiredProperties = { "subject", "roles", "locations", "actions" })
    public record Me(String subject, String username, String email,
            String name,
            @Schema(description = "The caller's organization; null for operators and machine clients")
            UUID organizationId,
            Set<String> roles,
            @Schema(description = "Partner IDs an incentive role is limited to; empty means every location")
            Set<String> locations,
            @Schema(description = "What a portal may offer this caller (e.g. `users:manage`, `incentives:read`): the"
                    + " capabilities of its roles, the same ones each operation lists in `x-capabilities`")
            List<String> actions) {
    }

    @GET
    @Authenticated
    @Operation(operationId = "getMe",
            summary = "The signed-in caller: organization, roles, locations and the actions they may take")
    @APIResponse(responseCode = "200", description = "Who is calling, from the verified token")
    public Me me() {
        // A token of a user still pending activation proves they changed the temporary password and signed in.
        activation.signedIn(caller.subject());
        Set<String> roles = new TreeSet<>(caller.roles());
        roles.retainAll(Set.of(Roles.GLOBAL_ADMIN, Roles.ACCOUNT_ADMIN, Roles.USER_ADMIN, Roles.INCENTIVE_ADMIN,
                Roles.INCENTIVE_USER, Roles.PROGRAM_OPERATOR, Roles.PARTNER_FEED, Roles.API_ORGANIZATION_READ,
                Roles.API_INCENTIVES_READ));
        String name = token.getClaim("name");
        String username = token.getClaim("preferred_username");
        return new Me(caller.subject(), username, caller.email(), name, caller.organizationId().orElse(null), roles,
                caller.locations(), Capabilities.of(roles));
    }

    /**
     * Every user of an organization may choose their own language, whatever their roles (so no capability: it is not
     * something one role may do and another not); operators and machine clients have no directory entry (403).
     */
    @PUT
    @Path("/locale")
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "changeMyLocale", summary = "Set or remove the signed-in user's preferred language"
            + " (en, ja, ko): the language of the emails the platform sends them")
    @APIResponse(responseCode = "200", description = "The signed-in user with their new language")
    @APIResponse(responseCode = "403", description = "Operators and machine clients have no preferred language here:"
            + " `/problems/forbidden`")
    public UserView changeLocale(@Valid @NotNull ChangeLocale body) {
        return UserResource.view(users.changeOwnLocale(caller.organizationId(), caller.subject(), body.locale()));
    }

    @GET
    @Path("/email-preferences")
    @Authenticated
    @Operation(operationId = "getMyEmailPreferences", summary = "Whether the signed-in user gets the non-critical"
            + " emails (a payment sent, an enrolment completed, a migration completed)")
    @APIResponse(responseCode = "200", description = "The signed-in user's choice")
    @APIResponse(responseCode = "403", description = "Operators and machine clients are emailed nothing here:"
            + " `/problems/forbidden`")
    public EmailPreferences emailPreferences() {
        return new EmailPreferences(users.ownUser(caller.organizationId(), caller.subject()).nonCriticalEmails);
    }

    /** Like the language, every user of an organization chooses what they are emailed for themselves. */
    @PUT
    @Path("/email-preferences")
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "changeMyEmailPreferences", summary = "Opt out of (or back into) the non-critical emails:"
            + " a payment sent, an enrolment completed, a migration completed. The critical ones are always sent")
    @APIResponse(responseCode = "200", description = "The signed-in user with their new preference")
    @APIResponse(responseCode = "403", description = "Operators and machine clients are emailed nothing here:"
            + " `/problems/forbidden`")
    public UserView changeEmailPreferences(@Valid @NotNull EmailPreferences body) {
        return UserResource.view(users.changeOwnEmailPreferences(caller.organizationId(), caller.subject(),
                body.nonCriticalEmails()));
    }
}
