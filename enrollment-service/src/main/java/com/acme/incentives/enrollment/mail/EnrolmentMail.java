package com.acme.incentives.enrollment.mail;

/**
 * What the enrolment-completed templates ({@code templates/enrolment-completed_<language>.txt}) read, already in the
 * email's language ({@code earningsStartDate}). {@code organization} and {@code location} are null while identity's
 * events have not told us. {@code link} is the portal's overview.
 */
public record EnrolmentMail(String organization, String location, String partnerId, String program,
        String earningsStartDate, String link) {
}
