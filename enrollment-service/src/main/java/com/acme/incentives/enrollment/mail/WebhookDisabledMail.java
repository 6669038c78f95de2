package com.acme.incentives.enrollment.mail;

/**
 * What the webhook-disabled email's templates ({@code templates/webhook-disabled_<language>.txt}) read: the endpoint's
 * URL, how many days every delivery failed, since when (a date in the reader's language), the last error seen.
 * {@code organization} is null while identity's events have not told us.
 */
public record WebhookDisabledMail(String organization, String url, long days, String since, String lastError,
        String link) {
}
