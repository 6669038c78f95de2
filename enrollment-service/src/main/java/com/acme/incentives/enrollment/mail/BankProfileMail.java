package com.acme.incentives.enrollment.mail;

/**
 * What the payment profile email's templates ({@code templates/payment-profile-rejected_<language>.txt}) read:
 * {@code reason} is the operator's own words, as written. {@code organization} is null while identity's events have
 * not told us; {@code link} is the portal's profiles screen.
 */
public record BankProfileMail(String organization, String profile, String reason, String link) {
}
