package dev.otpengine.jdbc;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The store's tables, by prefix: their names, the DDL that creates them, and the check that a prefix is a plain SQL
 * identifier (it is written into statements, never bound, so it must be unable to hold anything but letters, digits
 * and underscores).
 *
 * <p>Times are the engine's, as epoch nanoseconds in {@code bigint}s: the engine's clock decides expiry to the
 * nanosecond (PostgreSQL's timestamps keep microseconds), and the database's own clock is never read.
 */
final class Schema {

    /** The migration file in the jar, for Flyway and Liquibase: the DDL of the default prefix. */
    static final String MIGRATION = "db/otpengine/V1__otpengine_schema.sql";

    private static final Pattern PREFIX = Pattern.compile("[a-z_][a-z0-9_]{0,39}");

    final String codes;
    final String addresses;
    final String messages;
    final String escalations;
    final String blocked;
    final String buckets;

    Schema(String prefix) {
        checkPrefix(prefix);
        this.codes = prefix + "codes";
        this.addresses = prefix + "addresses";
        this.messages = prefix + "messages";
        this.escalations = prefix + "escalations";
        this.blocked = prefix + "blocked_widgets";
        this.buckets = prefix + "buckets";
    }

    /** @return every table, in the order the DDL creates them */
    List<String> tables() {
        return List.of(codes, addresses, messages, escalations, blocked, buckets);
    }

    static String checkPrefix(String prefix) {
        Objects.requireNonNull(prefix, "tablePrefix");
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("tablePrefix must be 1 to 40 lower-case letters, digits or underscores, "
                    + "not starting with a digit: \"" + prefix + "\"");
        }
        return prefix;
    }

    /** The DDL: idempotent ({@code IF NOT EXISTS} throughout), one string of statements for one JDBC call. */
    String ddl() {
        String p = codes.substring(0, codes.length() - "codes".length());
        return ("-- otpengine-jdbc schema, version 1: the tables of JdbcStore with table prefix {p}. PostgreSQL 13 or later.\n"
                + "-- Idempotent: every statement is CREATE ... IF NOT EXISTS, so running it again changes nothing.\n"
                + "-- Times are the engine's clock in epoch nanoseconds.\n"
                + "\n"
                + "-- Pending codes: only the code's HMAC tag. outcome is the last guess's (3 once verified, when expires_at\n"
                + "-- is set to 0 so the clean-up takes the row at once).\n"
                + "CREATE TABLE IF NOT EXISTS {p}codes (\n"
                + "    request_id   uuid     PRIMARY KEY,\n"
                + "    widget_id    uuid     NOT NULL,\n"
                + "    recipient    text     NOT NULL,\n"
                + "    tag          bytea    NOT NULL,\n"
                + "    expires_at   bigint   NOT NULL,\n"
                + "    max_attempts smallint NOT NULL,\n"
                + "    failures     smallint NOT NULL DEFAULT 0,\n"
                + "    outcome      smallint NOT NULL DEFAULT 0\n"
                + ");\n"
                + "CREATE INDEX IF NOT EXISTS {p}codes_expires_at ON {p}codes (expires_at);\n"
                + "\n"
                + "-- The newest code of a widget at an address; superseded is the code a put replaced, for it to withdraw.\n"
                + "CREATE TABLE IF NOT EXISTS {p}addresses (\n"
                + "    widget_id      uuid   NOT NULL,\n"
                + "    address        text   NOT NULL,\n"
                + "    request_id     uuid   NOT NULL,\n"
                + "    superseded     uuid,\n"
                + "    retained_until bigint NOT NULL,\n"
                + "    PRIMARY KEY (widget_id, address)\n"
                + ");\n"
                + "CREATE INDEX IF NOT EXISTS {p}addresses_retained_until ON {p}addresses (retained_until);\n"
                + "\n"
                + "-- Messages a provider accepted, for delivery reports.\n"
                + "CREATE TABLE IF NOT EXISTS {p}messages (\n"
                + "    channel_id     text     NOT NULL,\n"
                + "    provider_id    text     NOT NULL,\n"
                + "    request_id     uuid     NOT NULL,\n"
                + "    widget_id      uuid     NOT NULL,\n"
                + "    gateway        text,\n"
                + "    calling_code   smallint NOT NULL,\n"
                + "    expires_at     bigint   NOT NULL,\n"
                + "    retained_until bigint   NOT NULL,\n"
                + "    PRIMARY KEY (channel_id, provider_id)\n"
                + ");\n"
                + "CREATE INDEX IF NOT EXISTS {p}messages_retained_until ON {p}messages (retained_until);\n"
                + "\n"
                + "-- The next step of each escalating send; the code sealed by the engine.\n"
                + "CREATE TABLE IF NOT EXISTS {p}escalations (\n"
                + "    request_id   uuid   PRIMARY KEY,\n"
                + "    due_at       bigint NOT NULL,\n"
                + "    expires_at   bigint NOT NULL,\n"
                + "    widget_id    uuid   NOT NULL,\n"
                + "    recipient    text   NOT NULL,\n"
                + "    locale       text,\n"
                + "    sent_through text   NOT NULL,\n"
                + "    channels     text   NOT NULL,\n"
                + "    sealed_code  bytea  NOT NULL\n"
                + ");\n"
                + "CREATE INDEX IF NOT EXISTS {p}escalations_due_at ON {p}escalations (due_at);\n"
                + "CREATE INDEX IF NOT EXISTS {p}escalations_expires_at ON {p}escalations (expires_at);\n"
                + "\n"
                + "CREATE TABLE IF NOT EXISTS {p}blocked_widgets (\n"
                + "    widget_id uuid PRIMARY KEY\n"
                + ");\n"
                + "\n"
                + "-- Bucket4j's rate-limit buckets (its serialized state), dropped once they would be full again. tier is 0 for a\n"
                + "-- requester's counter (an IP, an IP network, a widget: anyone can make these cheaply) and 1 for a recipient's\n"
                + "-- (a phone's sends, its cooldown, its guess budget, the toll-fraud guard's rooms and marks); used is the share\n"
                + "-- of its tightest window's capacity the bucket holds, in thousandths (1000: spent, refusing); seq counts down as\n"
                + "-- rows are made. Past the store's cap the clean-up drops the rows that rank lowest by (tier, used, expires_at,\n"
                + "-- seq): requesters' before recipients', least used, soonest full, newest first.\n"
                + "CREATE TABLE IF NOT EXISTS {p}buckets (\n"
                + "    id         text     PRIMARY KEY,\n"
                + "    state      bytea,\n"
                + "    expires_at bigint   NOT NULL,\n"
                + "    tier       smallint NOT NULL DEFAULT 0,\n"
                + "    used       smallint NOT NULL DEFAULT 0,\n"
                + "    seq        bigint   GENERATED ALWAYS AS IDENTITY (INCREMENT BY -1)\n"
                + ");\n"
                + "CREATE INDEX IF NOT EXISTS {p}buckets_expires_at ON {p}buckets (expires_at);\n"
                + "CREATE INDEX IF NOT EXISTS {p}buckets_rank ON {p}buckets (tier, used, expires_at, seq);\n").replace("{p}", p);
    }
}
