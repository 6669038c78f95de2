package com.acme.incentives.enrollment.webhooks;

import com.acme.incentives.enrollment.EnrollmentMessages;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;

/**
 * Where a webhook may go (server-side request forgery: our requests must never reach our own network or a cloud's
 * metadata service). Checked when an endpoint is registered or changed, and again before each delivery, because a
 * name's addresses can change after registration: HTTPS only, no user-info, and every address the host resolves to
 * public (not loopback, private/site-local, link-local (169.254.169.254 included), any-local, multicast, carrier-grade
 * NAT or IPv6 unique-local fc00::/7). {@code enrollment.webhooks.allow-insecure-localhost} (only %dev and %test) lets
 * http(s)://localhost and 127.0.0.1 through, for a receiver a test runs.
 */
@ApplicationScoped
public class WebhookTargets {

    /** Why a target is refused: the field message's key. */
    public static final class Refused extends Exception {
        public final EnrollmentMessages reason;

        Refused(EnrollmentMessages reason) {
            super(reason.code(), null, false, false);
            this.reason = reason;
        }
    }

    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1");

    private final boolean allowInsecureLocalhost;

    @Inject
    WebhookTargets(WebhookSettings settings) {
        this(settings.allowInsecureLocalhost());
    }

    private WebhookTargets(boolean allowInsecureLocalhost) {
        this.allowInsecureLocalhost = allowInsecureLocalhost;
    }

    /** For a unit test: the rule with the flag as given. */
    public static WebhookTargets of(boolean allowInsecureLocalhost) {
        return new WebhookTargets(allowInsecureLocalhost);
    }

    /** The URL's syntax and scheme only (no DNS): null when fine, else why not. */
    public EnrollmentMessages checkSyntax(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return EnrollmentMessages.WEBHOOK_URL_INVALID;
        }
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawAuthority() == null) {
            return EnrollmentMessages.WEBHOOK_URL_INVALID;
        }
        if (uri.getRawUserInfo() != null || uri.getRawAuthority().contains("@")) {
            return EnrollmentMessages.WEBHOOK_URL_USER_INFO;
        }
        if (uri.getRawFragment() != null) {
            return EnrollmentMessages.WEBHOOK_URL_INVALID;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        boolean local = allowInsecureLocalhost && LOCAL_HOSTS.contains(uri.getHost().toLowerCase(Locale.ROOT));
        if (!scheme.equals("https") && !(local && scheme.equals("http"))) {
            return EnrollmentMessages.WEBHOOK_URL_NOT_HTTPS;
        }
        return null;
    }

    /** The whole rule, resolving the host now: throws why the URL may not be called. */
    public void check(String url) throws Refused {
        EnrollmentMessages syntax = checkSyntax(url);
        if (syntax != null) {
            throw new Refused(syntax);
        }
        String host = URI.create(url).getHost();
        if (allowInsecureLocalhost && LOCAL_HOSTS.contains(host.toLowerCase(Locale.ROOT))) {
            return;
        }
        InetAddress[] addresses;
        try {
            // a bracketed IPv6 literal comes without its brackets from getAllByName's point of view
            addresses = InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException | SecurityException e) {
            throw new Refused(EnrollmentMessages.WEBHOOK_URL_UNRESOLVABLE);
        }
        for (InetAddress address : addresses) {
            if (!isPublic(address)) {
                throw new Refused(EnrollmentMessages.WEBHOOK_URL_NOT_PUBLIC);
            }
        }
    }

    /** Whether an address is one the public internet routes to us from outside our own networks. */
    static boolean isPublic(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xFF;
            int second = b[1] & 0xFF;
            // 0.0.0.0/8 ("this network"), 100.64.0.0/10 (carrier-grade NAT), 255.255.255.255 (broadcast)
            return first != 0 && !(first == 100 && second >= 64 && second <= 127)
                    && !(first == 255 && (b[1] & b[2] & b[3] & 0xFF) == 0xFF);
        }
        if (address instanceof Inet6Address) {
            // fc00::/7 unique local; ::ffff:a.b.c.d is returned as an Inet4Address by the JDK already
            return (b[0] & 0xFE) != 0xFC;
        }
        return false;
    }
}
