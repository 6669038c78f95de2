package com.acme.incentives.enrollment.mail;

import java.util.List;

/**
 * What the payment emails' templates ({@code templates/payment-held|sent|rejected|returned_<language>.txt}) read,
 * already in the email's language: the amount as its people write money (￥150,000, ₩1,500,000, €410.00), dates as they
 * write them. {@code organization} and {@code location} are null while identity's events have not told us;
 * {@code program} and {@code period} are null for a sent payment (PaymentSent names neither); {@code forfeitsOn} is
 * null for a hold published before payout-service told it; {@code reason} is the bank's reason code, or null.
 * {@code link} is the portal's payments screen.
 */
public record PaymentMail(String organization, String location, String partnerId, String program, String period,
        String amount, List<String> holdActions, String forfeitsOn, String reason, String bankReference, String link) {
}
