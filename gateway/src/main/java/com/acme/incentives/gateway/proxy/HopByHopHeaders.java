package com.acme.incentives.gateway.proxy;

import io.vertx.core.MultiMap;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Headers that describe one connection, not the message (RFC 9110 section 7.6.1), and so must not be forwarded by a
 * proxy, plus any header a sender lists in its Connection header.
 */
final class HopByHopHeaders {

    private static final Set<String> ALWAYS = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade");

    private HopByHopHeaders() {
    }

    /** The lower-case names not to forward from these headers: the standard ones and those named by Connection. */
    static Set<String> of(MultiMap headers) {
        Set<String> names = new HashSet<>(ALWAYS);
        for (String connection : headers.getAll("Connection")) {
            for (String token : connection.split(",")) {
                if (!token.isBlank()) {
                    names.add(token.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }
}
