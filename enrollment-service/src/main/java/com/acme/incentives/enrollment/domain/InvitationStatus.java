package com.acme.incentives.enrollment.domain;

/** An invitation is never deleted: it is accepted, or the expiry job marks it expired. */
public enum InvitationStatus {
    ISSUED, ACCEPTED, EXPIRED
}
