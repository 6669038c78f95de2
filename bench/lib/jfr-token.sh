#!/usr/bin/env bash
# Splits the CPU samples of a JFR recording that are inside bearer-token verification (Quarkus OIDC, jose4j) by
# what the stack is doing, as shares of those samples:   bench/lib/jfr-token.sh <recording.jfr>
set -euo pipefail
jfr print --events jdk.ExecutionSample --stack-depth 64 "$1" | awk '
  function done(   i, st, c) {
    st = ""; for (i = 1; i <= n; i++) st = st "\n" f[i]
    n = 0
    if (st !~ /jose4j|quarkus\.oidc|smallrye\.jwt/) return
    tot++
    if (st ~ /isOpaqueToken/) c = "OidcUtils.isOpaqueToken (decodes the claims to tell a JWT from an opaque token)"
    else if (st ~ /java\.math\.|RSASignature|RSACore/) c = "RSA signature check (BigInteger)"
    else if (st ~ /json_simple|JsonUtil|JSONParser/) c = "jose4j JSON parsing of header and claims"
    else if (st ~ /Base64/) c = "base64url decoding"
    else if (st ~ /SHA2|MessageDigest/) c = "SHA-256"
    else if (st ~ /decodeJwtContent|getJwtContentPart/) c = "OidcCommonUtils.decodeJwtContent (rest)"
    else c = "rest of Quarkus OIDC / jose4j (claims checks, identity building)"
    cnt[c]++
  }
  /jdk.ExecutionSample/ { done(); next }
  /stackTrace = \[/ { ins = 1; next }
  ins && /^[[:space:]]*\]/ { ins = 0; next }
  ins { l = $0; gsub(/^[[:space:]]+/, "", l); f[++n] = l }
  END {
    done()
    printf "samples inside token verification: %d\n", tot; fflush()
    for (c in cnt) printf "%6.1f%%  %s\n", 100 * cnt[c] / tot, c | "sort -rn"
  }'
