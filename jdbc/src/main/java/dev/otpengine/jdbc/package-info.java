/**
 * The otpengine JDBC store: {@link dev.otpengine.jdbc.JdbcStore}, the state of any number of engines in one PostgreSQL
 * database, on the application's {@link javax.sql.DataSource}. The schema is {@link dev.otpengine.jdbc.JdbcStore#schema}
 * or, for Flyway and Liquibase, the file {@code db/otpengine/V1__otpengine_schema.sql} in this jar.
 */
package dev.otpengine.jdbc;
