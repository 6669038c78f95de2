package com.acme.incentives.enrollment.mail;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The partner portal's address (the gateway's public URL), where the emails' links point, read here once for every
 * email that links to the portal: the notifications, the invitation reminders, the migration and the webhook emails.
 * A {@code @ConfigProperty}, not a {@code @ConfigMapping}: the key is {@code enrollment.portal-url} (the deploy
 * manifests and scripts set it, through {@code PORTAL_URL}), and a mapping of prefix {@code enrollment} would make
 * Quarkus refuse every other {@code enrollment.*} key that no mapping covers (SRCFG00050).
 */
@ApplicationScoped
public class PortalLinks {

    @ConfigProperty(name = "enrollment.portal-url")
    String portalUrl;

    /** The link to a portal screen: the address, then {@code path} ({@code "/payments"}; {@code "/"}: the home). */
    public String to(String path) {
        return portalUrl + path;
    }
}
