package com.acme.incentives.enrollment.service;

import java.util.List;

/**
 * What the migration notice's templates ({@code templates/migration_<language>.txt}) read, already in the email's
 * language where it depends on it ({@code startsOn}). {@code organization} is null when identity's events have not
 * told us its name.
 */
public record MigrationMail(String organization, String wave, String startsOn, List<User> users,
        List<Carried> enrollments) {

    /** A user the organization must set up. */
    public record User(String firstName, String lastName, String email, String role) {
    }

    /** An enrolment carried over when the migration completes. */
    public record Carried(String partnerId, String program) {
    }
}
