-- otpengine-jdbc schema, version 1: the tables of JdbcStore with table prefix otp_. PostgreSQL 13 or later.
-- Idempotent: every statement is CREATE ... IF NOT EXISTS, so running it again changes nothing.
-- Times are the engine's clock in epoch nanoseconds.

-- Pending codes: only the code's HMAC tag. outcome is the last guess's (3 once verified, when expires_at
-- is set to 0 so the clean-up takes the row at once).
CREATE TABLE IF NOT EXISTS otp_codes (
    request_id   uuid     PRIMARY KEY,
    widget_id    uuid     NOT NULL,
    recipient    text     NOT NULL,
    tag          bytea    NOT NULL,
    expires_at   bigint   NOT NULL,
    max_attempts smallint NOT NULL,
    failures     smallint NOT NULL DEFAULT 0,
    outcome      smallint NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS otp_codes_expires_at ON otp_codes (expires_at);

-- The newest code of a widget at an address; superseded is the code a put replaced, for it to withdraw.
CREATE TABLE IF NOT EXISTS otp_addresses (
    widget_id      uuid   NOT NULL,
    address        text   NOT NULL,
    request_id     uuid   NOT NULL,
    superseded     uuid,
    retained_until bigint NOT NULL,
    PRIMARY KEY (widget_id, address)
);
CREATE INDEX IF NOT EXISTS otp_addresses_retained_until ON otp_addresses (retained_until);

-- Messages a provider accepted, for delivery reports.
CREATE TABLE IF NOT EXISTS otp_messages (
    channel_id     text     NOT NULL,
    provider_id    text     NOT NULL,
    request_id     uuid     NOT NULL,
    widget_id      uuid     NOT NULL,
    gateway        text,
    calling_code   smallint NOT NULL,
    expires_at     bigint   NOT NULL,
    retained_until bigint   NOT NULL,
    PRIMARY KEY (channel_id, provider_id)
);
CREATE INDEX IF NOT EXISTS otp_messages_retained_until ON otp_messages (retained_until);

-- The next step of each escalating send; the code sealed by the engine.
CREATE TABLE IF NOT EXISTS otp_escalations (
    request_id   uuid   PRIMARY KEY,
    due_at       bigint NOT NULL,
    expires_at   bigint NOT NULL,
    widget_id    uuid   NOT NULL,
    recipient    text   NOT NULL,
    locale       text,
    sent_through text   NOT NULL,
    channels     text   NOT NULL,
    sealed_code  bytea  NOT NULL
);
CREATE INDEX IF NOT EXISTS otp_escalations_due_at ON otp_escalations (due_at);
CREATE INDEX IF NOT EXISTS otp_escalations_expires_at ON otp_escalations (expires_at);

CREATE TABLE IF NOT EXISTS otp_blocked_widgets (
    widget_id uuid PRIMARY KEY
);

-- Bucket4j's rate-limit buckets (its serialized state), dropped once they would be full again. tier is 0 for a
-- requester's counter (an IP, an IP network, a widget: anyone can make these cheaply) and 1 for a recipient's
-- (a phone's sends, its cooldown, its guess budget, the toll-fraud guard's rooms and marks); used is the share
-- of its tightest window's capacity the bucket holds, in thousandths (1000: spent, refusing); seq counts down as
-- rows are made. Past the store's cap the clean-up drops the rows that rank lowest by (tier, used, expires_at,
-- seq): requesters' before recipients', least used, soonest full, newest first.
CREATE TABLE IF NOT EXISTS otp_buckets (
    id         text     PRIMARY KEY,
    state      bytea,
    expires_at bigint   NOT NULL,
    tier       smallint NOT NULL DEFAULT 0,
    used       smallint NOT NULL DEFAULT 0,
    seq        bigint   GENERATED ALWAYS AS IDENTITY (INCREMENT BY -1)
);
CREATE INDEX IF NOT EXISTS otp_buckets_expires_at ON otp_buckets (expires_at);
CREATE INDEX IF NOT EXISTS otp_buckets_rank ON otp_buckets (tier, used, expires_at, seq);
