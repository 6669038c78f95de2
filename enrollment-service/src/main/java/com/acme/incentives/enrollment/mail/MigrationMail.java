package com.acme.incentives.enrollment.mail;

import java.util.List;

/**
 * What the migration emails' templates ({@code templates/migration|migration-users-set-up|migration-completed_<language>
 * .txt}) read, already in the email's language where it depends on it ({@code startsOn}). {@code organization} is null
 * when identity's events have not told us its name. {@code link} is the portal's migration screen.
 */
public record MigrationMail(String organization, String wave, String startsOn, List<User> users,
        List<Carried> enrollments, String link) {

    /** A user the organization must set up. */
    public record User(String firstName, String lastName, String email, String role) {
    }

    /** An enrolment carried over when the migration completes. */
    public record Carried(String partnerId, String program) {
    }
}
