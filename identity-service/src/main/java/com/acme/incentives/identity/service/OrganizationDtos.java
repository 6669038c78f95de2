package com.acme.incentives.identity.service;

import com.acme.incentives.identity.domain.PartnerType;
import com.acme.incentives.platform.idempotency.OneTimeSecret;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Request and response bodies of the organization and location operations. */
public final class OrganizationDtos {

    /** A partner ID (the MPN ID), in a body or a path. */
    public static final String PARTNER_ID = "[0-9]{1,12}";
    public static final String PARTNER_ID_MESSAGE = "{incentives.mpn-partner-id}";
    /** An ISO 3166-1 alpha-2 country code's form, in a body or a query. */
    public static final String COUNTRY = "[A-Z]{2}";

    private OrganizationDtos() {
    }

    public record Contact(
            @Schema(format = "email", examples = "pat@fabrikam.example") @NotBlank @Email(regexp = ".+@.+\\..+", message = "{incentives.email}") @Size(max = 254) String email,
            @NotBlank @Size(max = 100) @Pattern(regexp = UserDtos.PERSON_NAME, message = UserDtos.PERSON_NAME_MESSAGE)
            String firstName,
            @NotBlank @Size(max = 100) @Pattern(regexp = UserDtos.PERSON_NAME, message = UserDtos.PERSON_NAME_MESSAGE)
            String lastName) {
    }

    public record RegisterOrganization(
            @Schema(examples = "Fabrikam") @NotBlank @Size(max = 200) String name,
            @NotNull @Valid Contact primaryContact) {
    }

    @Schema(requiredProperties = { "id", "name", "primaryContact", "createdAt" })
    public record OrganizationView(UUID id, String name, Contact primaryContact, Instant createdAt) {
    }

    /**
     * An organization as operators pick it from the list: who it is, since when (registered at {@code createdAt}),
     * and where it sells.
     */
    @Schema(requiredProperties = { "id", "name", "primaryContact", "createdAt", "locationCount", "countries" })
    public record OrganizationSummary(UUID id, String name, Contact primaryContact, Instant createdAt,
            @Schema(description = "How many locations it has") long locationCount,
            @Schema(description = "The countries of its locations (ISO 3166-1 alpha-2), each once, sorted")
            List<String> countries) {
    }

    /**
     * The answer to a registration: the organization, its primary contact's new GLOBAL_ADMIN account and that
     * account's temporary password, shown this once (an Idempotency-Key replay answers without it).
     */
    @Schema(requiredProperties = { "id", "name", "primaryContact", "createdAt", "primaryContactUser" })
    public record RegisteredOrganization(UUID id, String name, Contact primaryContact, Instant createdAt,
            UserDtos.UserView primaryContactUser,
            @Schema(description = "The primary contact's temporary password, shown this once; null in an"
                    + " Idempotency-Key replay") String temporaryPassword) implements OneTimeSecret {
        @Override
        public Object withoutSecret() {
            return new RegisteredOrganization(id, name, primaryContact, createdAt, primaryContactUser, null);
        }
    }

    public record AddLocation(
            @Schema(examples = "4200042")
            @NotBlank @Pattern(regexp = PARTNER_ID, message = PARTNER_ID_MESSAGE)
            String partnerId,
            @Schema(examples = "Fabrikam Berlin") @NotBlank @Size(max = 200) String name,
            @Schema(examples = "DE")
            @NotBlank @Pattern(regexp = COUNTRY, message = "{incentives.country}")
            String country,
            @NotNull PartnerType partnerType) {
    }

    /** Named apart from eligibility-service's view of a location, which has other fields, in the one contract. */
    @Schema(name = "IdentityLocation", requiredProperties = { "partnerId", "organizationId", "name", "country",
            "partnerType", "createdAt" })
    public record LocationView(String partnerId, UUID organizationId, String name, String country,
            PartnerType partnerType, Instant createdAt) {
    }
}
