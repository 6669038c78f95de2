package com.acme.incentives.enrollment.mail;

/**
 * What the invitation's templates ({@code templates/invitation_<language>.txt}) read, already in the email's language
 * where it depends on it ({@code validUntil}). {@code organization}, {@code location} and {@code country} are null when
 * identity's events have not told us yet; {@code program} is the programme's display name (its slug before
 * eligibility published names).
 */
public record InvitationMail(String organization, String location, String partnerId, String country, String program,
        String invitationId, String validUntil) {
}
