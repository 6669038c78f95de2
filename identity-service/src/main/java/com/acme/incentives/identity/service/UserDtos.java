package com.acme.incentives.identity.service;

import com.acme.incentives.identity.domain.UserStatus;
import com.acme.incentives.platform.idempotency.OneTimeSecret;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Request and response bodies of the user operations. */
public final class UserDtos {

    private UserDtos() {
    }

    /**
     * A person's name as Keycloak's user profile accepts it (its person-name-prohibited-characters validator): checked
     * here, so a name Keycloak would refuse is a 400 naming the field, not a failed call to the identity provider.
     */
    public static final String PERSON_NAME = "[^<>&\"$%!#?§;*@~/\\\\|^=\\[\\]{}()\\p{Cntrl}]*";
    /** The message's key in the platform's ValidationMessages (English, Japanese, Korean). */
    public static final String PERSON_NAME_MESSAGE = "{incentives.person-name}";
    static final String LOCALE_DESCRIPTION = "The user's preferred language (the language of the emails they get):"
            + " `en`, `ja` or `ko`; absent = not chosen (emails then follow the locations' country: Japanese for JP,"
            + " Korean for KR, else English). Anything else: 400 with code `unsupported-locale`";

    /**
     * The roles of an organization's user, for the contract only (they travel as strings; RoleSet checks them):
     * the realm roles an admin may grant.
     */
    @Schema(name = "OrganizationRole")
    public enum OrganizationRole {
        GLOBAL_ADMIN, ACCOUNT_ADMIN, USER_ADMIN, INCENTIVE_ADMIN, INCENTIVE_USER
    }

    /**
     * A new user. {@code roles}: at least one, at most one admin and one incentive role. {@code locations}: partner IDs
     * of the organization the incentive role is limited to (only with an incentive role; empty or absent = all).
     */
    public record NewUser(
            @Schema(format = "email", examples = "ines@fabrikam.example") @NotBlank @Email(regexp = ".+@.+\\..+", message = "{incentives.email}") @Size(max = 254)
            String email,
            @NotBlank @Size(max = 100) @Pattern(regexp = PERSON_NAME, message = PERSON_NAME_MESSAGE) String firstName,
            @NotBlank @Size(max = 100) @Pattern(regexp = PERSON_NAME, message = PERSON_NAME_MESSAGE) String lastName,
            @Schema(type = SchemaType.ARRAY, implementation = OrganizationRole.class,
                    description = "At least one; at most one admin and one incentive role")
            @NotNull @Size(max = 5) List<String> roles,
            @Size(max = 200) List<@NotNull @Pattern(regexp = "[0-9]{1,12}", message = "{incentives.partner-id}")
            String> locations,
            @Schema(description = LOCALE_DESCRIPTION, enumeration = { "en", "ja", "ko" }) String locale) {
    }

    /** A user's preferred language; null (or absent) removes the choice, so the user gets the default again. */
    public record ChangeLocale(
            @Schema(description = LOCALE_DESCRIPTION, enumeration = { "en", "ja", "ko" }) String locale) {
    }

    /** What a user wants to be emailed. */
    @Schema(requiredProperties = "nonCriticalEmails")
    public record EmailPreferences(
            @Schema(description = "false: only the critical emails (a payment held, refused or returned; a tax profile"
                    + " expiring or expired; invitations and their reminders; what a migration needs of them). true:"
                    + " also a payment sent, an enrolment completed and a migration completed")
            @NotNull Boolean nonCriticalEmails) {
    }

    /** The complete new roles and locations of a user (PUT: whatever is not listed is removed). */
    public record ChangeRoles(
            @Schema(type = SchemaType.ARRAY, implementation = OrganizationRole.class,
                    description = "At least one; at most one admin and one incentive role")
            @NotNull @Size(max = 5) List<String> roles,
            @Size(max = 200) List<@NotNull @Pattern(regexp = "[0-9]{1,12}", message = "{incentives.partner-id}")
            String> locations) {
    }

    @Schema(requiredProperties = { "id", "organizationId", "email", "firstName", "lastName", "roles", "locations",
            "status", "createdAt" })
    public record UserView(UUID id, UUID organizationId, String email, String firstName, String lastName,
            @Schema(type = SchemaType.ARRAY, implementation = OrganizationRole.class) List<String> roles, List<String> locations, UserStatus status, Instant activatedAt, Instant createdAt,
            String createdBy, Instant updatedAt, String updatedBy,
            @Schema(description = "The preferred language, absent when never chosen", enumeration = { "en", "ja", "ko" })
            String locale,
            @Schema(description = "Whether they get the non-critical emails (false once they opted out)")
            boolean nonCriticalEmails) {
    }

    /** The answer to a creation: the user, and its temporary password shown this once. */
    @Schema(requiredProperties = "user")
    public record CreatedUser(UserView user,
            @Schema(description = "Shown this once; null in an Idempotency-Key replay") String temporaryPassword)
            implements OneTimeSecret {
        @Override
        public Object withoutSecret() {
            return new CreatedUser(user, null);
        }
    }

    /** The answer to a password reset: the new temporary password, shown this once. */
    @Schema(requiredProperties = { "userId", "temporaryPassword" })
    public record PasswordReset(UUID userId, String temporaryPassword) {
    }
}
