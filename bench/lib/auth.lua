-- wrk script: every request carries the bearer token from BENCH_TOKEN (a Keycloak access token).
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
