package com.acme.incentives.enrollment.service;

import com.acme.incentives.enrollment.EnrollmentMessages;
import com.acme.incentives.enrollment.domain.Enrollment;
import com.acme.incentives.enrollment.domain.EnrollmentStatus;
import com.acme.incentives.enrollment.domain.Invitation;
import com.acme.incentives.enrollment.domain.InvitationStatus;
import com.acme.incentives.enrollment.domain.LocationProgram;
import com.acme.incentives.enrollment.domain.MailLanguage;
import com.acme.incentives.enrollment.domain.PartnerLocation;
import com.acme.incentives.enrollment.domain.PartnerOrganization;
import com.acme.incentives.enrollment.domain.PayoutProfileState;
import com.acme.incentives.enrollment.domain.PayoutProfileStatus;
import com.acme.incentives.enrollment.domain.RequiredAction;
import com.acme.incentives.enrollment.events.EnrollmentEvents;
import com.acme.incentives.enrollment.mail.InvitationMail;
import com.acme.incentives.enrollment.mail.MailService;
import com.acme.incentives.enrollment.mail.MailTemplates;
import com.acme.incentives.enrollment.mail.Notifications;
import com.acme.incentives.enrollment.mail.Recipients;
import com.acme.incentives.enrollment.mail.Recipients.Recipient;
import com.acme.incentives.enrollment.metrics.EnrollmentMetrics;
import com.acme.incentives.platform.audit.AuditTrail;
import com.acme.incentives.platform.concurrency.AdvisoryLocks;
import com.acme.incentives.platform.events.Outbox;
import com.acme.incentives.platform.problem.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Invitations and the enrolment lifecycle. Every change of an enrolment goes through {@link #move}, which applies
 * the state machine, appends the history row and publishes EnrollmentChanged through the outbox in the same
 * transaction. Work on one (location, programme) is serialised by a row lock on its {@link LocationProgram}, which
 * also hands out the EnrollmentChanged sequence.
 */
@ApplicationScoped
@Transactional
public class EnrollmentService {

    private static final Logger LOG = Logger.getLogger(EnrollmentService.class);
    static final String BY_ELIGIBILITY = "eligibility-service";
    static final String BY_PAYOUT = "payout-service";
    static final String BY_EXPIRY = "enrollment-service:invitation-expiry";
    /** PayoutProfileStatusChanged's taxProfile of a location whose tax profile has expired. */
    private static final String EXPIRED = "EXPIRED";

    @Inject
    Outbox outbox;

    @Inject
    MailService mail;

    @Inject
    Notifications notifications;

    @Inject
    EnrollmentMetrics metrics;

    @Inject
    AuditTrail audit;

    @Inject
    Clock clock;

    @Inject
    InvitationSettings invitationSettings;

    // ---------------------------------------------------------------- eligibility

    /**
     * Applies an EligibilityChanged. Ignored when its sequence is not above the last applied one for the
     * (location, programme): a late, older event must not undo a newer one. {@code programName}: the programme's
     * display name, null in events from before eligibility published it (the name known so far is kept).
     */
    public void eligibilityChanged(String partnerId, UUID organizationId, String programId, boolean eligible,
            long sequence, String programName) {
        Instant now = clock.instant();
        LocationProgram state = lock(partnerId, programId);
        if (state == null) {
            state = new LocationProgram();
            state.key = new LocationProgram.Key(partnerId, programId);
            state.organizationId = organizationId;
            state.eligibilitySequence = Long.MIN_VALUE;
        } else if (sequence <= state.eligibilitySequence) {
            LOG.debugf("Ignoring stale EligibilityChanged %d for %s/%s (applied %d)", sequence, partnerId, programId,
                    state.eligibilitySequence);
            return;
        }
        state.eligible = eligible;
        state.eligibilitySequence = sequence;
        if (programName != null && !programName.isBlank()) {
            state.programName = programName;
        }
        state.updatedAt = now;
        state.persist();
        LocationProgram.getEntityManager().flush(); // the row must exist before the enrolment locks it again

        Enrollment live = liveEnrollment(partnerId, programId);
        if (eligible) {
            if (live == null) {
                invite(state, now, BY_ELIGIBILITY, "eligible: invited", true);
            } else if (live.status == EnrollmentStatus.INELIGIBLE) {
                EnrollmentStatus back = live.statusBeforeIneligible;
                // the payout profiles may have moved while it was ineligible: an accepted enrolment follows them
                if (back == EnrollmentStatus.ACTION_REQUIRED || back == EnrollmentStatus.VALIDATING) {
                    back = EnrollmentStatus.forProfile(profileOf(partnerId));
                }
                move(live, state, back, withActions("eligibility regained", back, partnerId), BY_ELIGIBILITY, now);
            }
            // otherwise already invited or further along: "regaining eligibility while invited" invites nobody twice
        } else if (live != null && live.status != EnrollmentStatus.INELIGIBLE) {
            move(live, state, EnrollmentStatus.INELIGIBLE, "eligibility lost", BY_ELIGIBILITY, now);
        }
    }

    /**
     * A new enrolment, INVITED, with its invitation; {@code mailIt}: whether the invitation is mailed to the
     * location's incentive admins (not when the partner signs up themselves, accepting it at once).
     */
    private Invitation invite(LocationProgram state, Instant now, String by, String reason, boolean mailIt) {
        String partnerId = state.key.partnerId();
        String programId = state.key.programId();
        Enrollment enrollment = Enrollment.invite(state.organizationId, partnerId, programId, now);
        enrollment.persist();
        enrollment.persistHistory(null, reason, by, now);

        Invitation invitation = new Invitation();
        invitation.id = UUID.randomUUID();
        invitation.enrollmentId = enrollment.id;
        invitation.organizationId = state.organizationId;
        invitation.partnerId = partnerId;
        invitation.programId = programId;
        invitation.status = InvitationStatus.ISSUED;
        invitation.issuedAt = now;
        invitation.expiresAt = now.plus(invitationSettings.validity());
        PartnerLocation location = PartnerLocation.findById(partnerId);
        if (mailIt) {
            lockRecipients(state.organizationId); // see mailUnaddressedInvitations
        }
        List<Recipient> to = mailIt ? Recipients.incentiveAdmins(state.organizationId, partnerId) : List.of();
        List<String> recipients = to.stream().map(Recipient::email).toList();
        invitation.recipients = String.join(",", recipients);
        invitation.persist();

        if (!mailIt) {
            LOG.debugf("Invitation %s for %s/%s is not mailed: the partner signed up themselves", invitation.id,
                    partnerId, programId);
        } else if (recipients.isEmpty()) {
            // Identity has not told us who the organization is yet (its OrganizationRegistered comes on another topic
            // and can come second): the invitation stands, is listed in the API, and is mailed when the organization
            // becomes known (mailUnaddressedInvitations).
            LOG.infof("Invitation %s for %s/%s waits for organization %s to be known before it is mailed",
                    invitation.id, partnerId, programId, state.organizationId);
        } else {
            PartnerOrganization organization = PartnerOrganization.findById(state.organizationId);
            // each recipient reads their own language: one email per language
            mail.queue(to, "invitation", language -> invitationMail(invitation, state.programLabel(), organization,
                    location, language), null);
        }
        // Both events in one batch: one round trip, not two. A new enrolment (no previous status) notifies nobody.
        outbox.publishAll(List.of(new Outbox.NewEvent(partnerId, EnrollmentEvents.INVITATION_ISSUED,
                new EnrollmentEvents.InvitationIssued(invitation.id, invitation.organizationId, partnerId, programId,
                        invitation.issuedAt, invitation.expiresAt, recipients)),
                changedEvent(enrollment, state, null, by, now)));
        metrics.invitationIssued(programId);
        return invitation;
    }

    // ---------------------------------------------------------------- enrolling again

    /**
     * An operator invites again a location that is eligible but has no open enrolment (its invitation expired, it
     * withdrew, or it was never invited): a new invitation, mailed like the first. 404 when eligibility never
     * evaluated the location for the programme; 422 when it is not eligible now; 409 while an enrolment is open.
     */
    public Invitation inviteAgain(String partnerId, String programId, String by) {
        LocationProgram state = lock(partnerId, programId);
        requireOpenToEnrol(state, partnerId, programId);
        Invitation invitation = invite(state, clock.instant(), by, "invited again by an operator", true);
        audit.record(invitation.organizationId, "LOCATION_INVITED_AGAIN", "INVITATION", invitation.id.toString(),
                AuditTrail.details("partnerId", partnerId, "programId", programId, "enrollmentId",
                        invitation.enrollmentId, "expiresAt", invitation.expiresAt.toString()));
        return invitation;
    }

    /**
     * An incentive admin signs an eligible location without an open enrolment up again, without waiting for an
     * invitation: a new invitation accepted at once by them, so the enrolment goes where the payout profiles take it.
     * {@code visible} is the caller's tenancy check (404 otherwise); then as {@link #inviteAgain}.
     */
    public Enrollment signUp(String partnerId, String programId, String by, Predicate<LocationProgram> visible) {
        LocationProgram state = lock(partnerId, programId);
        if (state != null && !visible.test(state)) {
            state = null; // another organization's, or a location outside the caller's role: as if unknown
        }
        requireOpenToEnrol(state, partnerId, programId);
        Instant now = clock.instant();
        Invitation invitation = invite(state, now, by, "signed up again by the partner", false);
        invitation.status = InvitationStatus.ACCEPTED;
        invitation.acceptedAt = now;
        invitation.acceptedBy = by;
        Enrollment enrollment = Enrollment.findById(invitation.enrollmentId);
        EnrollmentStatus next = EnrollmentStatus.forProfile(profileOf(partnerId));
        move(enrollment, state, next, withActions("signed up: invitation accepted", next, partnerId), by, now);
        auditEnrollment("ENROLLMENT_SIGNED_UP_AGAIN", enrollment, invitation.id);
        return enrollment;
    }

    private static void requireOpenToEnrol(LocationProgram state, String partnerId, String programId) {
        if (state == null) {
            throw ApiException.notFound(EnrollmentMessages.LOCATION_PROGRAM_NOT_FOUND, partnerId, programId);
        }
        if (!state.eligible) {
            throw ApiException.unprocessable(EnrollmentMessages.NOT_ELIGIBLE_NOW, partnerId, state.programLabel());
        }
        Enrollment live = liveEnrollment(partnerId, programId);
        if (live != null) {
            throw ApiException.conflict(EnrollmentMessages.ENROLMENT_ALREADY_OPEN, partnerId, state.programLabel(),
                    live.id, live.status).with("enrollmentId", live.id);
        }
    }

    /**
     * Mails the organization's open invitations that were issued before identity told us who the organization is (an
     * EligibilityChanged can overtake the OrganizationRegistered: they come on different topics), to whom {@link
     * #invite} would have mailed them. Called when the organization becomes known. Both take the organization's
     * recipients lock before they read, so whichever commits second sees the other's rows: no invitation is left
     * unmailed, none is mailed twice.
     */
    public void mailUnaddressedInvitations(UUID organizationId) {
        lockRecipients(organizationId);
        List<Invitation> waiting = Invitation.list("organizationId = ?1 and status = ?2 and recipients = ''"
                + " and expiresAt > ?3 order by issuedAt, id", organizationId, InvitationStatus.ISSUED, clock.instant());
        PartnerOrganization organization = PartnerOrganization.findById(organizationId);
        for (Invitation invitation : waiting) {
            List<Recipient> to = Recipients.incentiveAdmins(organizationId, invitation.partnerId);
            if (to.isEmpty()) {
                continue; // still nobody to write to (the organization itself is not known)
            }
            invitation.recipients = String.join(",", to.stream().map(Recipient::email).toList());
            PartnerLocation location = PartnerLocation.findById(invitation.partnerId);
            String program = LocationProgram.programLabel(invitation.partnerId, invitation.programId);
            mail.queue(to, "invitation", language -> invitationMail(invitation, program, organization, location,
                    language), null);
            LOG.infof("Invitation %s for %s/%s mailed now that organization %s is known", invitation.id,
                    invitation.partnerId, invitation.programId, organizationId);
        }
    }

    private static void lockRecipients(UUID organizationId) {
        AdvisoryLocks.ORGANIZATION_RECIPIENTS.lockAll(Invitation.getEntityManager(), List.of(organizationId.toString()));
    }

    private static InvitationMail invitationMail(Invitation invitation, String program,
            PartnerOrganization organization, PartnerLocation location, MailLanguage language) {
        return new InvitationMail(organization == null ? null : organization.name,
                location == null ? null : location.name, invitation.partnerId,
                location == null ? null : location.country, program, invitation.id.toString(),
                MailTemplates.date(invitation.expiresAt, language));
    }

    // ---------------------------------------------------------------- payout profiles

    /**
     * Applies a PayoutProfileStatusChanged; stale sequences are ignored. Moves accepted, not yet enrolled enrolments.
     * Returns true when this change is the location's tax profile expiring (the partner is to be told).
     */
    public boolean payoutProfileChanged(String partnerId, PayoutProfileState status, String taxProfile,
            String bankProfile, long sequence, Instant changedAt) {
        PayoutProfileStatus profile = PayoutProfileStatus.getEntityManager().find(PayoutProfileStatus.class,
                partnerId, LockModeType.PESSIMISTIC_WRITE);
        if (profile != null && sequence <= profile.sequence) {
            return false; // stale or repeated
        }
        if (profile == null) {
            profile = new PayoutProfileStatus();
            profile.partnerId = partnerId;
        }
        boolean taxProfileExpired = EXPIRED.equals(taxProfile) && !EXPIRED.equals(profile.taxProfile);
        profile.status = status;
        profile.taxProfile = taxProfile;
        profile.bankProfile = bankProfile;
        profile.sequence = sequence;
        profile.changedAt = changedAt;
        profile.persist();

        Instant now = clock.instant();
        List<Enrollment> waiting = Enrollment.list("partnerId = ?1 and status in ?2", partnerId,
                List.of(EnrollmentStatus.ACTION_REQUIRED, EnrollmentStatus.VALIDATING));
        for (Enrollment enrollment : waiting) {
            LocationProgram state = lock(partnerId, enrollment.programId);
            EnrollmentStatus next = EnrollmentStatus.forProfile(status);
            if (next != enrollment.status) {
                move(enrollment, state, next, withActions("payout profiles " + status, next, partnerId), BY_PAYOUT,
                        now);
            }
        }
        return taxProfileExpired;
    }

    // ---------------------------------------------------------------- partner actions

    /** An incentive admin accepts an invitation; {@code visible} is the caller's tenancy check (404 otherwise). */
    public Enrollment accept(UUID invitationId, String by, Predicate<Invitation> visible) {
        Invitation invitation = Invitation.findById(invitationId);
        if (invitation == null || !visible.test(invitation)) {
            throw ApiException.notFound(EnrollmentMessages.INVITATION_NOT_FOUND, invitationId);
        }
        LocationProgram state = lock(invitation.partnerId, invitation.programId);
        invitation = Invitation.getEntityManager().find(Invitation.class, invitationId, LockModeType.PESSIMISTIC_WRITE);
        Instant now = clock.instant();
        switch (invitation.status) {
            case ACCEPTED -> throw ApiException.unprocessable(EnrollmentMessages.INVITATION_ALREADY_ACCEPTED,
                    invitationId, invitation.acceptedAt, invitation.enrollmentId)
                    .with("enrollmentId", invitation.enrollmentId);
            case EXPIRED -> throw ApiException.unprocessable(EnrollmentMessages.INVITATION_EXPIRED, invitationId,
                    invitation.expiresAt);
            case ISSUED -> {
                if (!now.isBefore(invitation.expiresAt)) {
                    throw ApiException.unprocessable(EnrollmentMessages.INVITATION_EXPIRED, invitationId,
                            invitation.expiresAt);
                }
            }
        }
        Enrollment enrollment = Enrollment.findById(invitation.enrollmentId);
        if (enrollment.status == EnrollmentStatus.INELIGIBLE) {
            throw ApiException.unprocessable(EnrollmentMessages.LOCATION_NOT_ELIGIBLE, invitation.partnerId,
                    invitation.programId);
        }
        if (enrollment.status != EnrollmentStatus.INVITED) {
            throw ApiException.unprocessable(EnrollmentMessages.ENROLMENT_NOT_INVITED, invitationId,
                    enrollment.status);
        }
        invitation.status = InvitationStatus.ACCEPTED;
        invitation.acceptedAt = now;
        invitation.acceptedBy = by;
        EnrollmentStatus next = EnrollmentStatus.forProfile(profileOf(invitation.partnerId));
        move(enrollment, state, next, withActions("invitation accepted", next, invitation.partnerId), by, now);
        auditEnrollment("INVITATION_ACCEPTED", enrollment, invitationId);
        return enrollment;
    }

    public Enrollment withdraw(UUID enrollmentId, String by, Predicate<Enrollment> visible) {
        Enrollment enrollment = Enrollment.findById(enrollmentId);
        if (enrollment == null || !visible.test(enrollment)) {
            throw ApiException.notFound(EnrollmentMessages.ENROLMENT_NOT_FOUND, enrollmentId);
        }
        LocationProgram state = lock(enrollment.partnerId, enrollment.programId);
        Enrollment.getEntityManager().refresh(enrollment);
        if (!enrollment.status.canBecome(EnrollmentStatus.WITHDRAWN)) {
            throw ApiException.unprocessable(EnrollmentMessages.ENROLMENT_CANNOT_BE_WITHDRAWN, enrollmentId,
                    enrollment.status);
        }
        EnrollmentStatus before = enrollment.status;
        move(enrollment, state, EnrollmentStatus.WITHDRAWN, "withdrawn by the partner", by, clock.instant());
        audit.record(enrollment.organizationId, "ENROLLMENT_WITHDRAWN", "ENROLLMENT", enrollment.id.toString(),
                AuditTrail.details("partnerId", enrollment.partnerId, "programId", enrollment.programId,
                        "previousStatus", before.name(), "status", enrollment.status.name()));
        return enrollment;
    }

    /** A partner's sign-up in the organization's audit log: the enrolment it started and where it stands. */
    private void auditEnrollment(String action, Enrollment enrollment, UUID invitationId) {
        audit.record(enrollment.organizationId, action, "ENROLLMENT", enrollment.id.toString(), AuditTrail.details(
                "partnerId", enrollment.partnerId, "programId", enrollment.programId, "invitationId", invitationId,
                "status", enrollment.status.name()));
    }

    // ---------------------------------------------------------------- migration

    /**
     * Makes a migrated organization's enrolment ENROLLED when its migration completes. A (location, programme) with
     * no live enrolment gets a new one, born ENROLLED; one invited or waiting for profiles meanwhile is moved to
     * ENROLLED (its open invitation counts as accepted by the completing admin). An ENROLLED one stays as it is. One
     * INELIGIBLE stays INELIGIBLE, but goes back to ENROLLED when eligibility returns: the migration does not
     * override eligibility-service. Returns the enrolment.
     */
    public Enrollment carryOver(UUID organizationId, String partnerId, String programId, LocalDate earningsStartDate,
            String by, Instant now) {
        LocationProgram state = lock(partnerId, programId);
        if (state == null) {
            // No eligibility outcome seen yet: the organization was enrolled before this platform, so eligible until
            // eligibility-service says otherwise (any sequence it sends is above this one).
            state = new LocationProgram();
            state.key = new LocationProgram.Key(partnerId, programId);
            state.organizationId = organizationId;
            state.eligible = true;
            state.eligibilitySequence = Long.MIN_VALUE;
            state.updatedAt = now;
            state.persist();
            LocationProgram.getEntityManager().flush();
        }
        Enrollment live = liveEnrollment(partnerId, programId);
        if (live == null) {
            Enrollment enrollment = Enrollment.carryOver(organizationId, partnerId, programId, earningsStartDate, now);
            enrollment.persist();
            enrollment.persistHistory(null, "carried over by migration", by, now);
            publishChanged(enrollment, state, null, by, now);
            return enrollment;
        }
        switch (live.status) {
            case ENROLLED -> {
                return live;
            }
            case INELIGIBLE -> {
                if (live.statusBeforeIneligible != EnrollmentStatus.ENROLLED) {
                    live.enrolledOnceEligible(earningsStartDate, "carried over by migration", by, now).persist();
                }
                return live;
            }
            default -> {
                Invitation.<Invitation>list("enrollmentId = ?1 and status = ?2", live.id, InvitationStatus.ISSUED)
                        .forEach(invitation -> {
                            invitation.status = InvitationStatus.ACCEPTED;
                            invitation.acceptedAt = now;
                            invitation.acceptedBy = by;
                        });
                if (live.earningsStartDate == null) {
                    live.earningsStartDate = earningsStartDate;
                }
                move(live, state, EnrollmentStatus.ENROLLED, "carried over by migration", by, now);
                return live;
            }
        }
    }

    // ---------------------------------------------------------------- expiry

    /**
     * Marks up to {@code batch} invitations whose validity ended before {@code now} EXPIRED (and their invited
     * enrolments), in this one transaction; returns how many were due (a full batch: there may be more). One replica
     * at a time (a transaction-scoped advisory lock; another replica finds it taken and leaves the work to it). Locks
     * are taken in the order every other writer uses (location-programme, then invitation) and the invitation is
     * re-read under them, so an acceptance committed meanwhile is never overwritten.
     */
    public int expireDue(Instant now, int batch) {
        boolean mine = AdvisoryLocks.INVITATION_EXPIRY.tryLock(Invitation.getEntityManager());
        if (!mine) {
            return 0;
        }
        List<UUID> due = Invitation.getEntityManager().createQuery("select i.id from Invitation i"
                + " where i.status = ?1 and i.expiresAt <= ?2 order by i.expiresAt, i.id", UUID.class)
                .setParameter(1, InvitationStatus.ISSUED).setParameter(2, now).setMaxResults(batch).getResultList();
        for (UUID id : due) {
            Invitation invitation = Invitation.findById(id);
            LocationProgram state = lock(invitation.partnerId, invitation.programId);
            Invitation.getEntityManager().refresh(invitation, LockModeType.PESSIMISTIC_WRITE);
            if (invitation.status != InvitationStatus.ISSUED) {
                continue; // accepted (or expired) since it was listed
            }
            invitation.status = InvitationStatus.EXPIRED;
            invitation.expiredAt = now;
            Enrollment enrollment = Enrollment.findById(invitation.enrollmentId);
            boolean stillInvited = enrollment.status == EnrollmentStatus.INVITED
                    || (enrollment.status == EnrollmentStatus.INELIGIBLE
                            && enrollment.statusBeforeIneligible == EnrollmentStatus.INVITED);
            if (stillInvited) {
                move(enrollment, state, EnrollmentStatus.EXPIRED, "invitation expired", BY_EXPIRY, now);
            }
        }
        return due.size();
    }

    // ---------------------------------------------------------------- the one way an enrolment changes

    private void move(Enrollment enrollment, LocationProgram state, EnrollmentStatus next, String reason, String by,
            Instant now) {
        EnrollmentStatus previous = enrollment.status;
        enrollment.transition(next, reason, by, now).persist();
        publishChanged(enrollment, state, previous, by, now);
    }

    private void publishChanged(Enrollment enrollment, LocationProgram state, EnrollmentStatus previous, String by,
            Instant now) {
        UUID eventId = outbox.publish(changedEvent(enrollment, state, previous, by, now));
        if (enrollment.status == EnrollmentStatus.ENROLLED && previous != null && previous.isOnTheWayIn()) {
            // completed now; one returning from INELIGIBLE, or born ENROLLED by a migration (whose emails tell it), is not
            notifications.enrolmentCompleted(eventId, enrollment);
        }
    }

    /** The enrolment's EnrollmentChanged, with the location-programme's next sequence. */
    private static Outbox.NewEvent changedEvent(Enrollment enrollment, LocationProgram state,
            EnrollmentStatus previous, String by, Instant now) {
        return new Outbox.NewEvent(enrollment.partnerId, EnrollmentEvents.ENROLLMENT_CHANGED,
                new EnrollmentEvents.EnrollmentChanged(enrollment.id, enrollment.organizationId, enrollment.partnerId,
                        enrollment.programId, enrollment.status.name(), previous == null ? null : previous.name(),
                        enrollment.earningsStartDate, state.nextEnrollmentSequence(), now, by));
    }

    private static LocationProgram lock(String partnerId, String programId) {
        return LocationProgram.getEntityManager().find(LocationProgram.class,
                new LocationProgram.Key(partnerId, programId), LockModeType.PESSIMISTIC_WRITE);
    }

    private static Enrollment liveEnrollment(String partnerId, String programId) {
        return Enrollment.<Enrollment>find("partnerId = ?1 and programId = ?2 and status not in ?3", partnerId,
                programId, List.of(EnrollmentStatus.WITHDRAWN, EnrollmentStatus.EXPIRED)).firstResult();
    }

    /**
     * The history reason of a move, naming what the partner must do when it lands in ACTION_REQUIRED (e.g. "invitation
     * accepted; required: TAX_PROFILE_MISSING, BANK_PROFILE_MISSING"), so the history says why action was required.
     */
    private static String withActions(String reason, EnrollmentStatus next, String partnerId) {
        if (next != EnrollmentStatus.ACTION_REQUIRED) {
            return reason;
        }
        List<RequiredAction> actions = RequiredAction.forProfile(PayoutProfileStatus.findById(partnerId));
        return actions.isEmpty() ? reason : reason + "; required: "
                + String.join(", ", actions.stream().map(Enum::name).toList());
    }

    private static PayoutProfileState profileOf(String partnerId) {
        PayoutProfileStatus profile = PayoutProfileStatus.findById(partnerId);
        return profile == null ? null : profile.status;
    }
}
