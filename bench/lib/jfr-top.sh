#!/usr/bin/env bash
# Aggregates the CPU samples (jdk.ExecutionSample) of a JFR recording:
#   bench/lib/jfr-top.sh <recording.jfr> [stack filter regex] [top N]
# prints, as shares of the samples kept: the samples by component (the first of an ordered list of libraries with a
# frame on the sample's stack: token verification, PostgreSQL driver, Hibernate, Agroal, JSON, metrics and tracing,
# logging; else the wrapping layer nearest the leaf: transactions, our code, Vert.x/Netty), the top frames (self time), the top "first application frame"
# (com.acme.*), and the methods most often on the stack. With a filter, only samples whose stack contains a frame matching it are kept.
set -euo pipefail
FILE=$1; FILTER=${2:-.}; TOP=${3:-15}
jfr print --events jdk.ExecutionSample --stack-depth 64 "$FILE" | awk -v filter="$FILTER" -v top="$TOP" '
  BEGIN {
    # Libraries: a sample belongs to the first of these with a frame anywhere on its stack.
    ncat = split("org\\.jose4j|io\\.quarkus\\.oidc|io\\.smallrye\\.jwt;org\\.postgresql;org\\.hibernate;" \
      "io\\.agroal;com\\.fasterxml\\.jackson;" \
      "io\\.micrometer|io\\.opentelemetry|io\\.quarkus\\.micrometer|io\\.quarkus\\.opentelemetry;" \
      "org\\.jboss\\.logmanager|org\\.jboss\\.logging", catre, ";")
    split("token verification (OIDC, jose4j, RSA);PostgreSQL JDBC driver;Hibernate ORM;connection pool (Agroal);" \
      "JSON (Jackson);metrics and tracing;logging", catname, ";")
    # Layers that wrap everything (a transaction, our handler, the event loop): only the nearest to the leaf counts.
    nwrap = split("com\\.arjuna|io\\.quarkus\\.narayana;com\\.acme\\.;io\\.netty|io\\.vertx", wrapre, ";")
    split("transactions (Narayana);our code (com.acme);Vert.x / Netty (HTTP server and client)", wrapname, ";")
  }
  function flush() {
    if (n > 0) {
      keep = 0
      for (i = 1; i <= n; i++) if (frames[i] ~ filter) { keep = 1; break }
      if (keep) {
        total++; self[frames[1]]++
        comp = ""
        for (c = 1; c <= ncat && comp == ""; c++)
          for (i = 1; i <= n; i++) if (frames[i] ~ catre[c]) { comp = catname[c]; break }
        for (i = 1; i <= n && comp == ""; i++)
          for (c = 1; c <= nwrap; c++) if (frames[i] ~ wrapre[c]) { comp = wrapname[c]; break }
        if (comp == "") comp = "other (JDK, framework glue)"
        bycomp[comp]++
        for (i = 1; i <= n; i++) if (frames[i] ~ /^com\.acme\./) { app[frames[i]]++; break }
        seen = ""
        for (i = 1; i <= n; i++) {
          f = frames[i]; sub(/\(.*$/, "", f)
          if (index(seen, "|" f "|") == 0) { incl[f]++; seen = seen "|" f "|" }
        }
      }
    }
    n = 0
  }
  /jdk.ExecutionSample/ { flush(); instack = 0; next }
  /stackTrace = \[/ { instack = 1; next }
  instack && /^[[:space:]]*\]/ { instack = 0; next }
  instack {
    line = $0; gsub(/^[[:space:]]+/, "", line); sub(/[[:space:]]+line:.*$/, "", line)
    if (line != "...") frames[++n] = line
  }
  END {
    flush()
    printf "samples kept: %d\n", total; fflush()
    print "-- by component (first match on the stack, in this order) --"; fflush()
    for (c in bycomp) printf "%6.1f%%  %s\n", 100 * bycomp[c] / total, c | "sort -rn"
    close("sort -rn")
    print "-- top frames (self) --"; fflush()
    for (f in self) printf "%6.1f%%  %s\n", 100 * self[f] / total, f | "sort -rn | head -" top
    close("sort -rn | head -" top)
    print "-- first application frame (com.acme.*) --"; fflush()
    for (f in app) printf "%6.1f%%  %s\n", 100 * app[f] / total, f | "sort -rn | head -" top
    close("sort -rn | head -" top)
    print "-- methods on the stack (inclusive) --"; fflush()
    for (f in incl) printf "%6.1f%%  %s\n", 100 * incl[f] / total, f | "sort -rn | head -" (top * 2)
    close("sort -rn | head -" (top * 2))
  }'
