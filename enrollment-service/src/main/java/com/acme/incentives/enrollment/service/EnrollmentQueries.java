package com.acme.incentives.enrollment.service;

import com.acme.incentives.enrollment.domain.Enrollment;
import com.acme.incentives.enrollment.domain.Invitation;
import com.acme.incentives.platform.paging.PageRequest;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.Set;
import java.util.UUID;

/** Reads of invitations and enrolments, newest first unless the client sorts; {@code limitedTo} non-empty restricts to those locations. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class EnrollmentQueries {

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
