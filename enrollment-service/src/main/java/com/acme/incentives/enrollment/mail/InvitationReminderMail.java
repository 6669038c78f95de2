package com.acme.incentives.enrollment.mail;

/**
 * What the invitation reminder's templates ({@code templates/invitation-reminder_<language>.txt}) read, already in the
 * email's language ({@code validUntil}). {@code daysLeft}: 7 or 1. {@code organization} and {@code location} are null
 * while identity's events have not told us. {@code link} is the portal's overview, where the invitation is accepted.
 */
public record InvitationReminderMail(String organization, String location, String partnerId, String program,
        String invitationId, String validUntil, int daysLeft, String link) {
}
