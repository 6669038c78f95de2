package com.acme.incentives.enrollment.mail;

/**
 * What the tax profile emails' templates ({@code templates/tax-profile-expiring|expired_<language>.txt}) read, already
 * in the email's language ({@code expiresOn}, null for an expired one). {@code organization} and {@code location} are
 * null while identity's events have not told us. {@code link} is the portal's profiles screen.
 */
public record TaxProfileMail(String organization, String location, String partnerId, String expiresOn, String link) {
}
