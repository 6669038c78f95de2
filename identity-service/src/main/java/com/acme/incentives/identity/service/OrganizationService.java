package com.acme.incentives.identity.service;

import com.acme.incentives.platform.i18n.PlatformMessages;
import com.acme.incentives.identity.IdentityMessages;
import com.acme.incentives.identity.domain.Location;
import com.acme.incentives.identity.domain.Organization;
import com.acme.incentives.identity.domain.RoleSet;
import com.acme.incentives.identity.domain.UserAccount;
import com.acme.incentives.identity.events.IdentityEvents;
import com.acme.incentives.identity.service.OrganizationDtos.AddLocation;
import com.acme.incentives.identity.service.OrganizationDtos.RegisterOrganization;
import com.acme.incentives.platform.audit.AuditTrail;
import com.acme.incentives.platform.events.Outbox;
import com.acme.incentives.platform.paging.PageRequest;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.security.Roles;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** Registers organizations and their locations; each change and its event commit together. */
@ApplicationScoped
@Transactional
public class OrganizationService {

    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    @Inject
    Outbox outbox;

    @Inject
    UserProvisioner provisioner;

    @Inject
    AuditTrail audit;

    @Inject
    Clock clock;

    /** An organization and its first global admin (its primary contact), with that user's temporary password. */
    public record Registration(Organization organization, UserAccount primaryContact, String temporaryPassword) {
    }

    /**
     * Registers the organization and creates its primary contact as its first GLOBAL_ADMIN in Keycloak. The
     * organization is committed together with that user (see {@link UserProvisioner}): if Keycloak fails, neither
     * exists. NOT_SUPPORTED because the Keycloak call must not run inside a transaction.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public Registration register(RegisterOrganization request, String actor) {
        Organization organization = new Organization();
        organization.id = UUID.randomUUID();
        organization.name = request.name().trim();
        organization.contactEmail = request.primaryContact().email().trim().toLowerCase(Locale.ROOT);
        organization.contactFirstName = request.primaryContact().firstName().trim();
        organization.contactLastName = request.primaryContact().lastName().trim();
        organization.createdAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        organization.createdBy = actor;
        UserProvisioner.Provisioned contact = provisioner.provision(new UserProvisioner.NewAccount(organization.id,
                organization.contactEmail, organization.contactFirstName, organization.contactLastName,
                RoleSet.of(List.of(Roles.GLOBAL_ADMIN)), List.of(), null), actor, () -> {
                    organization.persist();
                    outbox.publish(organization.id.toString(), IdentityEvents.ORGANIZATION_REGISTERED,
                            new IdentityEvents.OrganizationRegistered(organization.id, organization.name,
                                    organization.contactEmail, organization.contactFirstName,
                                    organization.contactLastName, organization.createdAt));
                    audit.record(organization.id, "ORGANIZATION_REGISTERED", "ORGANIZATION", organization.id.toString(),
                            Map.of("name", organization.name, "primaryContactEmail", organization.contactEmail));
                });
        return new Registration(organization, contact.user(), contact.temporaryPassword());
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Organization find(UUID organizationId) {
        Organization organization = Organization.findById(organizationId);
        if (organization == null) {
            throw ApiException.notFound(PlatformMessages.ORGANIZATION_NOT_FOUND, organizationId);
        }
        return organization;
    }

    public Location addLocation(UUID organizationId, AddLocation request, String actor) {
        find(organizationId);
        requireKnownCountry(request.country());
        if (Location.findById(request.partnerId()) != null) {
            throw ApiException.conflict(IdentityMessages.PARTNER_ID_TAKEN, request.partnerId())
                    .with("partnerId", request.partnerId());
        }
        Location location = new Location();
        location.partnerId = request.partnerId();
        location.organizationId = organizationId;
        location.name = request.name().trim();
        location.country = request.country();
        location.partnerType = request.partnerType();
        location.createdAt = clock.instant();
        location.createdBy = actor;
        location.persist();
        // Location events are keyed by organization so that an organization's events stay in order.
        outbox.publish(organizationId.toString(), IdentityEvents.LOCATION_ADDED,
                new IdentityEvents.LocationAdded(organizationId, location.partnerId, location.name, location.country,
                        location.partnerType.name(), location.createdAt));
        audit.record(organizationId, "LOCATION_ADDED", "LOCATION", location.partnerId, Map.of("name", location.name,
                "country", location.country, "partnerType", location.partnerType.name()));
        return location;
    }

    /** A location of this organization; another organization's is as unknown as a missing one (404). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Location location(UUID organizationId, String partnerId) {
        find(organizationId);
        Location location = Location.findById(partnerId);
        if (location == null || !location.organizationId.equals(organizationId)) {
            throw ApiException.notFound(IdentityMessages.LOCATION_OF_ORGANIZATION_NOT_FOUND, partnerId,
                    organizationId);
        }
        return location;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public PanacheQuery<Location> locations(UUID organizationId, PageRequest page) {
        find(organizationId);
        return Location.find("organizationId", page.sort(Sort.by("partnerId")), organizationId);
    }

    /** A country a location may be in: an ISO 3166-1 alpha-2 code (the form is the caller's Bean Validation). */
    private static void requireKnownCountry(String country) {
        if (!COUNTRIES.contains(country)) {
            throw ApiException.invalidField("country", IdentityMessages.UNKNOWN_COUNTRY);
        }
    }

    /**
     * Organizations for operators to pick from, each filter applied in the query (null: any): the name contains
     * {@code name} (case-insensitive), one of its locations has the partner ID {@code partnerId}, one is in
     * {@code country}. The list's own order is by name.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public PanacheQuery<Organization> search(String name, String partnerId, String country, PageRequest page) {
        List<String> where = new ArrayList<>();
        Parameters parameters = new Parameters();
        if (name != null && !name.isBlank()) {
            where.add("lower(o.name) like :name escape '!'");
            parameters.and("name", "%" + name.trim().toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%")
                    .replace("_", "!_") + "%");
        }
        if (partnerId != null) {
            where.add("exists (from Location l where l.organizationId = o.id and l.partnerId = :partnerId)");
            parameters.and("partnerId", partnerId);
        }
        if (country != null) {
            requireKnownCountry(country);
            where.add("exists (from Location l where l.organizationId = o.id and l.country = :country)");
            parameters.and("country", country);
        }
        return Organization.find("from Organization o" + (where.isEmpty() ? "" : " where "
                + String.join(" and ", where)), page.sort(Sort.by("name").and("id")), parameters);
    }

    /** How many locations an organization has and in which countries (sorted). */
    public record LocationsOf(long count, List<String> countries) {
        static final LocationsOf NONE = new LocationsOf(0, List.of());
    }

    /** {@link LocationsOf} of each organization given (one grouped query; an organization without any: none). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<UUID, LocationsOf> locationsOf(Collection<UUID> organizationIds) {
        Map<UUID, LocationsOf> result = new HashMap<>();
        if (organizationIds.isEmpty()) {
            return result;
        }
        Map<UUID, Long> counts = new HashMap<>();
        Map<UUID, TreeSet<String>> countries = new HashMap<>();
        List<Object[]> rows = Location.getEntityManager().createQuery("select l.organizationId, l.country, count(l)"
                + " from Location l where l.organizationId in :ids group by l.organizationId, l.country",
                Object[].class).setParameter("ids", organizationIds).getResultList();
        for (Object[] row : rows) {
            UUID organizationId = (UUID) row[0];
            counts.merge(organizationId, (Long) row[2], Long::sum);
            countries.computeIfAbsent(organizationId, k -> new TreeSet<>()).add((String) row[1]);
        }
        for (UUID organizationId : organizationIds) {
            result.put(organizationId, counts.containsKey(organizationId)
                    ? new LocationsOf(counts.get(organizationId), List.copyOf(countries.get(organizationId)))
                    : LocationsOf.NONE);
        }
        return result;
    }
}
