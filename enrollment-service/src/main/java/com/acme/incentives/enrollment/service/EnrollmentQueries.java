package com.acme.incentives.enrollment.service;

import com.acme.incentives.enrollment.EnrollmentMessages;
import com.acme.incentives.enrollment.domain.Enrollment;
import com.acme.incentives.enrollment.domain.EnrollmentHistory;
import com.acme.incentives.enrollment.domain.EnrollmentStatus;
import com.acme.incentives.enrollment.domain.Invitation;
import com.acme.incentives.enrollment.domain.PayoutProfileStatus;
import com.acme.incentives.enrollment.domain.RequiredAction;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.paging.PageRequest;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/** Reads of invitations and enrolments, newest first unless the client sorts; {@code limitedTo} non-empty restricts to those locations. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class EnrollmentQueries {

    /** One enrolment, if {@code visible} (the caller's tenancy check) lets the caller see it; 404 otherwise. */
    public Enrollment enrollment(UUID enrollmentId, Predicate<Enrollment> visible) {
        Enrollment enrollment = Enrollment.findById(enrollmentId);
        if (enrollment == null || !visible.test(enrollment)) {
            throw ApiException.notFound(EnrollmentMessages.ENROLMENT_NOT_FOUND, enrollmentId);
        }
        return enrollment;
    }

    /** An enrolment's status changes, newest first (as the eligibility history). */
    public PanacheQuery<EnrollmentHistory> history(UUID enrollmentId) {
        return EnrollmentHistory.find("enrollmentId = ?1 order by changedAt desc, id desc", enrollmentId);
    }

    /** What the partner must do: only an enrolment in ACTION_REQUIRED has anything to do. */
    public List<RequiredAction> requiredActions(Enrollment enrollment) {
        if (enrollment.status != EnrollmentStatus.ACTION_REQUIRED) {
            return List.of();
        }
        return RequiredAction.forProfile(PayoutProfileStatus.findById(enrollment.partnerId));
    }

    public PanacheQuery<Invitation> invitations(UUID organizationId, Set<String> limitedTo, PageRequest page) {
        Sort order = page.sort(Sort.by("issuedAt", Sort.Direction.Descending).and("id"));
        return limitedTo.isEmpty()
                ? Invitation.find("organizationId = ?1", order, organizationId)
                : Invitation.find("organizationId = ?1 and partnerId in ?2", order, organizationId, limitedTo);
    }

    public PanacheQuery<Enrollment> enrollments(UUID organizationId, Set<String> limitedTo, PageRequest page) {
        Sort order = page.sort(Sort.by("createdAt", Sort.Direction.Descending).and("id"));
        return limitedTo.isEmpty()
                ? Enrollment.find("organizationId = ?1", order, organizationId)
                : Enrollment.find("organizationId = ?1 and partnerId in ?2", order, organizationId, limitedTo);
    }
}
