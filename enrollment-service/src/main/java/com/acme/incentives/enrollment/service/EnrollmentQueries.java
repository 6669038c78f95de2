package com.acme.incentives.enrollment.service;

import com.acme.incentives.enrollment.domain.Enrollment;
import com.acme.incentives.enrollment.domain.Invitation;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.Set;
import java.util.UUID;

/** Reads of invitations and enrolments, newest first; {@code limitedTo} non-empty restricts to those locations. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class EnrollmentQueries {

    public PanacheQuery<Invitation> invitations(UUID organizationId, Set<String> limitedTo) {
        return limitedTo.isEmpty()
                ? Invitation.find("organizationId = ?1 order by issuedAt desc, id", organizationId)
                : Invitation.find("organizationId = ?1 and partnerId in ?2 order by issuedAt desc, id", organizationId,
                        limitedTo);
    }

    public PanacheQuery<Enrollment> enrollments(UUID organizationId, Set<String> limitedTo) {
        return limitedTo.isEmpty()
                ? Enrollment.find("organizationId = ?1 order by createdAt desc, id", organizationId)
                : Enrollment.find("organizationId = ?1 and partnerId in ?2 order by createdAt desc, id",
                        organizationId, limitedTo);
    }
}
