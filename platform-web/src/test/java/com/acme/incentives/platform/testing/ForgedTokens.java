package com.acme.incentives.platform.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;

/**
 * Forgeries of a real token, which every service and the gateway must refuse, whether or not they have verified the
 * genuine token before (the cache of verified tokens): signed with a key Keycloak never issued (under the realm's key
 * id), claims changed under the genuine signature, or {@code alg: none}.
 */
public final class ForgedTokens {

    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private ForgedTokens() {
    }

    /** The same header (key id included) and claims as the real token, signed with a key Keycloak never issued. */
    public static String signedByAnotherKey(String realToken) {
        String[] parts = realToken.split("\\.");
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(keys.getPrivate());
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return parts[0] + "." + parts[1] + "." + URL.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The claims of the real token under {@code alg: none} and an empty signature. */
    public static String algNone(String realToken) {
        String header = URL.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        return header + "." + realToken.split("\\.")[1] + ".";
    }

    /**
     * The claims with every {@code "from"} string replaced by {@code "to"} (a role raised, another organization),
     * under the genuine header and signature.
     */
    public static String withClaimsChanged(String realToken, String from, String to) {
        String[] parts = realToken.split("\\.");
        String claims = TestTokens.payload(realToken);
        String quoted = "\"" + from + "\"";
        if (!claims.contains(quoted)) {
            throw new IllegalArgumentException("the token's claims have no \"" + from + "\": " + claims);
        }
        String changed = claims.replace(quoted, "\"" + to + "\"");
        return parts[0] + "." + URL.encodeToString(changed.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }
}
