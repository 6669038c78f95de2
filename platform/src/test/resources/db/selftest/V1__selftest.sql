-- The test application's effects, counted by the tests (selftest/): what an event handler or a request changed.
CREATE TABLE selftest_effect (
    id         BIGSERIAL PRIMARY KEY,
    event_id   UUID NOT NULL,
    attempt    INT  NOT NULL
);
CREATE TABLE selftest_order (
    id       BIGSERIAL PRIMARY KEY,
    item     TEXT NOT NULL,
    quantity INT  NOT NULL
);
