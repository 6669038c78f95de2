package com.acme.incentives.enrollment.service;

import com.acme.incentives.platform.concurrency.AdvisoryLocks;
import com.acme.incentives.platform.i18n.PlatformMessages;
import com.acme.incentives.enrollment.EnrollmentMessages;
import com.acme.incentives.enrollment.domain.Enrollment;
import com.acme.incentives.enrollment.domain.LocationProgram;
import com.acme.incentives.enrollment.domain.MailLanguage;
import com.acme.incentives.enrollment.domain.MigrationStatus;
import com.acme.incentives.enrollment.domain.MigrationWave;
import com.acme.incentives.enrollment.domain.OrganizationUser;
import com.acme.incentives.enrollment.domain.PartnerLocation;
import com.acme.incentives.enrollment.domain.PartnerOrganization;
import com.acme.incentives.enrollment.domain.WaveEnrollment;
import com.acme.incentives.enrollment.domain.WaveOrganization;
import com.acme.incentives.enrollment.domain.WaveUser;
import com.acme.incentives.enrollment.events.EnrollmentEvents;
import com.acme.incentives.enrollment.mail.MailService;
import com.acme.incentives.enrollment.mail.MailTemplates;
import com.acme.incentives.enrollment.mail.MigrationMail;
import com.acme.incentives.enrollment.mail.PortalLinks;
import com.acme.incentives.enrollment.mail.Recipients;
import com.acme.incentives.enrollment.service.MigrationDtos.CarriedEnrollmentInput;
import com.acme.incentives.enrollment.service.MigrationDtos.CreateWave;
import com.acme.incentives.enrollment.service.MigrationDtos.ListedUserInput;
import com.acme.incentives.enrollment.service.MigrationDtos.WaveOrganizationInput;
import com.acme.incentives.platform.audit.AuditTrail;
import com.acme.incentives.platform.events.Outbox;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.problem.FieldViolation;
import com.acme.incentives.platform.security.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Migration waves (docs/product.md "Migration of already-enrolled organizations"). Every change of an organization's
 * migration goes through {@link #move}: state machine, history row and MigrationChanged through the outbox, in one
 * transaction. Work on one organization is serialised by a row lock on its {@link WaveOrganization} (the start job,
 * identity's events and the complete call all take it).
 */
@ApplicationScoped
@Transactional
public class MigrationService {

    private static final Logger LOG = Logger.getLogger(MigrationService.class);
    static final String BY_START = "enrollment-service:migration-start";
    static final String BY_IDENTITY = "identity-service";
    /** A start further back than this is a typing mistake, not "start now". */
    static final Duration START_GRACE = Duration.ofDays(1);
    static final Duration START_HORIZON = Duration.ofDays(2 * 366);

    @Inject
    Outbox outbox;

    @Inject
    MailService mail;

    @Inject
    EnrollmentService enrollments;

    @Inject
    AuditTrail audit;

    @Inject
    Clock clock;

    /** The portal's address: the migration emails link to its migration screen. */
    @Inject
    PortalLinks portal;

    /** The result of a user check: the listed user and what identity-service knows of them. */
    public record UserState(WaveUser listed, OrganizationUser user, String problem) {
        public boolean setUp() {
            return problem == null;
        }
    }

    // ---------------------------------------------------------------- scheduling

    /** Validates the whole request (every problem listed in one 400) and schedules each organization. */
    public MigrationWave create(CreateWave input, String by) {
        Instant now = clock.instant();
        validate(input, now);
        MigrationWave wave = new MigrationWave();
        wave.id = UUID.randomUUID();
        wave.name = input.name().strip();
        wave.startsAt = input.startsAt();
        wave.createdBy = by;
        wave.createdAt = now;
        wave.persist();
        for (WaveOrganizationInput organization : input.organizations()) {
            WaveOrganization row = WaveOrganization.schedule(wave.id, organization.organizationId(), wave.startsAt,
                    now);
            organization.users().forEach(user -> row.users.add(new WaveUser(user.email().strip().toLowerCase(
                    Locale.ROOT), user.firstName().strip(), user.lastName().strip(), user.role().name())));
            organization.enrollmentsOrEmpty().forEach(carried -> row.enrollments.add(new WaveEnrollment(
                    carried.partnerId(), carried.programId(), carried.earningsStartDate())));
            row.persist();
            row.scheduledHistory(by, now).persist();
            publish(row, null, by, now);
        }
        return wave;
    }

    private void validate(CreateWave input, Instant now) {
        // Two operators scheduling the same organization at once: the second waits here until the first commits, then
        // sees its row below and is told so (instead of failing on the unique index).
        AdvisoryLocks.WAVE_ORGANIZATIONS.lockAll(WaveOrganization.getEntityManager(), input.organizations().stream()
                .map(o -> String.valueOf(o.organizationId())).toList());
        List<FieldViolation> errors = new ArrayList<>();
        if (input.startsAt().isBefore(now.minus(START_GRACE))) {
            errors.add(FieldViolation.of("startsAt", EnrollmentMessages.STARTS_IN_THE_PAST));
        } else if (input.startsAt().isAfter(now.plus(START_HORIZON))) {
            errors.add(FieldViolation.of("startsAt", EnrollmentMessages.STARTS_TOO_FAR_AHEAD));
        }
        Map<UUID, Integer> seen = new HashMap<>();
        for (int i = 0; i < input.organizations().size(); i++) {
            WaveOrganizationInput organization = input.organizations().get(i);
            String at = "organizations[" + i + "]";
            UUID orgId = organization.organizationId();
            Integer first = seen.putIfAbsent(orgId, i);
            if (first != null) {
                errors.add(FieldViolation.of(at + ".organizationId", EnrollmentMessages.ORGANIZATION_LISTED_TWICE,
                        first));
                continue;
            }
            if (PartnerOrganization.findById(orgId) == null) {
                errors.add(FieldViolation.of(at + ".organizationId", EnrollmentMessages.UNKNOWN_ORGANIZATION));
                continue;
            }
            WaveOrganization existing = WaveOrganization.ofOrganization(orgId);
            if (existing != null) {
                errors.add(FieldViolation.of(at + ".organizationId", EnrollmentMessages.ALREADY_IN_WAVE,
                        existing.waveId, existing.status));
            }
            validateUsers(organization.users(), at, errors);
            validateEnrollments(organization.enrollmentsOrEmpty(), orgId, at, errors);
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }

    private static void validateUsers(List<ListedUserInput> users, String at, List<FieldViolation> errors) {
        Set<String> emails = new HashSet<>();
        boolean admin = false;
        for (int k = 0; k < users.size(); k++) {
            ListedUserInput user = users.get(k);
            if (!emails.add(user.email().strip().toLowerCase(Locale.ROOT))) {
                errors.add(FieldViolation.of(at + ".users[" + k + "].email", PlatformMessages.LISTED_TWICE));
            }
            admin |= user.role().name().equals("INCENTIVE_ADMIN");
        }
        if (!admin) {
            errors.add(FieldViolation.of(at + ".users", EnrollmentMessages.INCENTIVE_ADMIN_REQUIRED));
        }
    }

    private static void validateEnrollments(List<CarriedEnrollmentInput> carried, UUID orgId, String at,
            List<FieldViolation> errors) {
        Set<String> keys = new HashSet<>();
        for (int k = 0; k < carried.size(); k++) {
            CarriedEnrollmentInput enrollment = carried.get(k);
            String field = at + ".enrollments[" + k + "]";
            if (!keys.add(enrollment.partnerId() + "|" + enrollment.programId())) {
                errors.add(FieldViolation.of(field + ".programId", EnrollmentMessages.PROGRAMME_LISTED_TWICE,
                        enrollment.partnerId()));
            }
            PartnerLocation location = PartnerLocation.findById(enrollment.partnerId());
            if (location == null || !location.organizationId.equals(orgId)) {
                errors.add(FieldViolation.of(field + ".partnerId", EnrollmentMessages.NOT_A_LOCATION_OF, orgId));
            }
        }
    }

    // ---------------------------------------------------------------- the wave starts

    /**
     * Notifies up to {@code batch} organizations whose wave has started, and returns how many. The rows are locked
     * with SKIP LOCKED, so several replicas (or a slow previous run) share the work instead of mailing twice.
     */
    public int startDue(Instant now, int batch) {
        @SuppressWarnings("unchecked")
        List<WaveOrganization> due = WaveOrganization.getEntityManager().createNativeQuery(
                "SELECT * FROM wave_organization WHERE status = 'SCHEDULED' AND starts_at <= ?1"
                        + " ORDER BY starts_at, id LIMIT ?2 FOR UPDATE SKIP LOCKED", WaveOrganization.class)
                .setParameter(1, now).setParameter(2, batch).getResultList();
        for (WaveOrganization row : due) {
            notifyAdmins(row, now);
        }
        return due.size();
    }

    private void notifyAdmins(WaveOrganization row, Instant now) {
        PartnerOrganization organization = PartnerOrganization.findById(row.organizationId);
        // its global admins; the primary contact while none is announced (yet)
        List<Recipients.Recipient> to = Recipients.withRoles(row.organizationId, List.of(Roles.GLOBAL_ADMIN));
        List<String> recipients = to.stream().map(Recipients.Recipient::email).toList();
        row.notifiedAt = now;
        row.notifiedEmails = String.join(",", recipients);
        if (recipients.isEmpty()) {
            // scheduling checks the organization exists, so this is a projection lost since: the state still moves
            LOG.warnf("Migration of organization %s started with nobody to notify", row.organizationId);
        } else {
            MigrationWave wave = MigrationWave.findById(row.waveId);
            // each recipient reads their own language: one email per language
            mail.queue(to, "migration", language -> migrationMail(wave, organization, row, language), null);
        }
        move(row, MigrationStatus.NOTIFIED, "wave started: admins notified (" + recipients.size() + ")", BY_START,
                now);
        // the users may already exist (set up ahead of the email)
        checkUsers(row, BY_START, now);
    }

    private MigrationMail migrationMail(MigrationWave wave, PartnerOrganization organization, WaveOrganization row,
            MailLanguage language) {
        return new MigrationMail(organization == null ? null : organization.name, wave.name,
                MailTemplates.date(row.startsAt, language),
                row.users.stream().map(u -> new MigrationMail.User(u.firstName, u.lastName, u.email, u.role)).toList(),
                row.enrollments.stream().map(e -> new MigrationMail.Carried(e.partnerId,
                        LocationProgram.programLabel(e.partnerId, e.programId))).toList(), portal.to("/migration"));
    }

    // ---------------------------------------------------------------- identity's events

    /**
     * Called in the transaction of every identity user event of an organization: a started migration moves to
     * USERS_SET_UP when every listed user is set up, and back to NOTIFIED when one no longer is.
     */
    public void identityChanged(UUID organizationId) {
        WaveOrganization row = lockOf(organizationId);
        if (row != null && (row.status == MigrationStatus.NOTIFIED || row.status == MigrationStatus.USERS_SET_UP)) {
            checkUsers(row, BY_IDENTITY, clock.instant());
        }
    }

    private void checkUsers(WaveOrganization row, String by, Instant now) {
        boolean allSetUp = userStates(row).stream().allMatch(UserState::setUp);
        if (allSetUp && row.status == MigrationStatus.NOTIFIED) {
            move(row, MigrationStatus.USERS_SET_UP, "every listed user exists with the listed role", by, now);
        } else if (!allSetUp && row.status == MigrationStatus.USERS_SET_UP) {
            move(row, MigrationStatus.NOTIFIED, "a listed user is no longer set up", by, now);
        }
    }

    /** Each listed user against identity's projection: set up = in the organization, active, with the role. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<UserState> userStates(WaveOrganization row) {
        Map<String, List<OrganizationUser>> byEmail = OrganizationUser.ofOrganization(row.organizationId).stream()
                .collect(Collectors.groupingBy(u -> u.email.toLowerCase(Locale.ROOT)));
        List<UserState> states = new ArrayList<>();
        for (WaveUser listed : row.users) {
            List<OrganizationUser> candidates = byEmail.getOrDefault(listed.email, List.of());
            OrganizationUser match = candidates.stream().filter(u -> u.active && u.hasRole(listed.role)).findFirst()
                    .orElse(null);
            if (match != null) {
                states.add(new UserState(listed, match, null));
            } else if (candidates.isEmpty()) {
                states.add(new UserState(listed, null, EnrollmentMessages.MISSING_USER_NOT_CREATED.text()));
            } else {
                OrganizationUser user = candidates.get(0);
                states.add(new UserState(listed, user, !user.active ? EnrollmentMessages.MISSING_USER_DEACTIVATED.text()
                        : EnrollmentMessages.MISSING_USER_ROLE.text(user.roleList(), listed.role)));
            }
        }
        return states;
    }

    // ---------------------------------------------------------------- completion

    /**
     * An incentive admin completes the organization's migration: allowed only once, when every listed user is set
     * up and the admin has signed in with their own password. The carried-over enrolments become ENROLLED through
     * the enrolment state machine, in the same transaction.
     */
    public WaveOrganization complete(UUID organizationId, String by, Set<String> limitedTo) {
        WaveOrganization row = lockOf(organizationId);
        if (row == null) {
            throw ApiException.notFound(EnrollmentMessages.MIGRATION_NOT_FOUND, organizationId);
        }
        Instant now = clock.instant();
        OrganizationUser admin = OrganizationUser.findById(by);
        boolean activated = admin != null && admin.activatedAt != null;
        switch (row.status) {
            case COMPLETED -> throw ApiException.conflict(EnrollmentMessages.MIGRATION_ALREADY_COMPLETED,
                    organizationId, row.completedAt, row.completedBy)
                    .with("completedAt", row.completedAt).with("completedBy", row.completedBy);
            case SCHEDULED -> throw conflict(row, List.of(missing("WAVE_START",
                    Map.of("startsAt", row.startsAt.toString()), EnrollmentMessages.MISSING_WAVE_START.text())),
                    activated, by, EnrollmentMessages.MIGRATION_NOT_STARTED, row.startsAt);
            case NOTIFIED -> {
                List<Map<String, Object>> users = missingUsers(row);
                throw conflict(row, users, activated, by, EnrollmentMessages.MIGRATION_USERS_NOT_SET_UP, users.size(),
                        users.stream().map(u -> u.get("email") + " (" + u.get("role") + "): " + u.get("detail"))
                                .collect(Collectors.joining("; ")));
            }
            case USERS_SET_UP -> {
                // ready
            }
        }
        if (!activated) {
            throw ApiException.forbidden(EnrollmentMessages.ADMIN_MUST_SIGN_IN, by)
                    .with("missing", List.of(activation(by)));
        }
        List<String> uncovered = row.enrollments.stream().map(e -> e.partnerId).distinct()
                .filter(partnerId -> !limitedTo.isEmpty() && !limitedTo.contains(partnerId)).toList();
        if (!uncovered.isEmpty()) {
            throw ApiException.forbidden(EnrollmentMessages.ROLE_LIMITED_TO_LOCATIONS, limitedTo, uncovered);
        }
        for (WaveEnrollment carried : row.enrollments) {
            Enrollment enrollment = enrollments.carryOver(organizationId, carried.partnerId, carried.programId,
                    carried.earningsStartDate, by, now);
            carried.enrollmentId = enrollment.id;
        }
        row.completedAt = now;
        row.completedBy = by;
        move(row, MigrationStatus.COMPLETED, "completed by the incentive admin", by, now);
        return row;
    }

    /** What blocks completion right now (empty once completed or ready), as the complete call would list it. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Map<String, Object>> missing(WaveOrganization row) {
        return switch (row.status) {
            case SCHEDULED -> List.of(missing("WAVE_START", Map.of("startsAt", row.startsAt.toString()),
                    EnrollmentMessages.MISSING_WAVE_START.text()));
            case NOTIFIED -> missingUsers(row);
            case USERS_SET_UP, COMPLETED -> List.of();
        };
    }

    private List<Map<String, Object>> missingUsers(WaveOrganization row) {
        return userStates(row).stream().filter(state -> !state.setUp())
                .map(state -> missing("USER", Map.of("email", state.listed().email, "role", state.listed().role),
                        state.problem()))
                .toList();
    }

    private static ApiException conflict(WaveOrganization row, List<Map<String, Object>> missing,
            boolean activated, String by, EnrollmentMessages detail, Object... args) {
        List<Map<String, Object>> all = new ArrayList<>(missing);
        if (!activated) {
            all.add(activation(by)); // said now, so the admin does not learn it only on the next attempt
        }
        return ApiException.conflict(detail, args).with("migrationStatus", row.status.name()).with("missing", all);
    }

    private static Map<String, Object> activation(String userId) {
        return missing("ADMIN_SIGN_IN", Map.of("userId", userId),
                EnrollmentMessages.MISSING_ADMIN_SIGN_IN.text());
    }

    private static Map<String, Object> missing(String kind, Map<String, Object> what, String detail) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("kind", kind);
        item.putAll(what);
        item.put("detail", detail);
        return item;
    }

    // ---------------------------------------------------------------- the one way a migration changes

    private void move(WaveOrganization row, MigrationStatus next, String reason, String by, Instant now) {
        MigrationStatus previous = row.status;
        row.transition(next, reason, by, now).persist();
        publish(row, previous, by, now);
    }

    private void publish(WaveOrganization row, MigrationStatus previous, String by, Instant now) {
        UUID eventId = outbox.publish(row.organizationId.toString(), EnrollmentEvents.MIGRATION_CHANGED,
                new EnrollmentEvents.MigrationChanged(row.organizationId, row.waveId, row.status.name(),
                        previous == null ? null : previous.name(), row.sequence, now, by));
        // Every step is in the organization's audit log: scheduled by an operator, completed by an incentive admin,
        // and the steps in between, which this service takes itself (the wave's start, identity's events: SYSTEM).
        Map<String, Object> details = AuditTrail.details("waveId", row.waveId, "previousStatus",
                previous == null ? null : previous.name(), "status", row.status.name(), "changedBy", by);
        if (row.status == MigrationStatus.COMPLETED) {
            details.put("carriedEnrollments", row.enrollments.stream().map(e -> Map.of("partnerId", e.partnerId,
                    "programId", e.programId, "enrollmentId", String.valueOf(e.enrollmentId))).toList());
        }
        // the migration is the organization's (GET /organizations/{id}/migration): named by it, its wave in details
        audit.record(row.organizationId, "MIGRATION_" + row.status.name(), "MIGRATION", row.organizationId.toString(),
                details);
        // the steps after the notice: the incentive admins may now complete it; then everyone is told it is done
        // (the completion is not critical: someone who opted out is not told)
        if (row.status == MigrationStatus.USERS_SET_UP) {
            mailStep(row, eventId, "migration-users-set-up",
                    Recipients.withRoles(row.organizationId, List.of(Roles.INCENTIVE_ADMIN)));
        } else if (row.status == MigrationStatus.COMPLETED) {
            mailStep(row, eventId, "migration-completed", Recipients.nonCritical(Recipients.withRoles(
                    row.organizationId, List.of(Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN))));
        }
    }

    private void mailStep(WaveOrganization row, UUID eventId, String template, List<Recipients.Recipient> to) {
        PartnerOrganization organization = PartnerOrganization.findById(row.organizationId);
        MigrationWave wave = MigrationWave.findById(row.waveId);
        mail.queue(to, template, language -> migrationMail(wave, organization, row, language), eventId);
    }

    private static WaveOrganization lockOf(UUID organizationId) {
        // locked by the query itself: the state read is the one under the lock
        return WaveOrganization.<WaveOrganization>find("organizationId", organizationId)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }
}
