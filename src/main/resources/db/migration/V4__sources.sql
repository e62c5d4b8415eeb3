-- Webhook sources: every delivery is recorded once (replays are answered, not stored again), links between
-- contributions (a review of a pull request, a pull request closing an issue) feed graph credit, and CI outcomes
-- are kept as a quality signal of the commits they ran on.
CREATE TABLE webhook_delivery (
    source        VARCHAR(16)  NOT NULL,
    delivery_id   VARCHAR(128) NOT NULL,
    event         VARCHAR(64)  NOT NULL,
    received_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    outcome       VARCHAR(16)  NOT NULL,
    detail        VARCHAR(1024),
    contributions INTEGER      NOT NULL,
    PRIMARY KEY (source, delivery_id)
);

CREATE TABLE contribution_link (
    source           VARCHAR(32)  NOT NULL,
    from_external_id VARCHAR(255) NOT NULL,
    to_external_id   VARCHAR(255) NOT NULL,
    kind             VARCHAR(32)  NOT NULL,
    PRIMARY KEY (source, from_external_id, to_external_id, kind)
);
CREATE INDEX contribution_link_to_idx ON contribution_link (source, to_external_id);

CREATE TABLE ci_result (
    source       VARCHAR(16)  NOT NULL,
    external_id  VARCHAR(255) NOT NULL,
    repository   VARCHAR(512),
    head_sha     VARCHAR(64)  NOT NULL,
    conclusion   VARCHAR(32)  NOT NULL,
    completed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (source, external_id)
);
CREATE INDEX ci_result_sha_idx ON ci_result (head_sha);
