/**
 * The otpengine JDBC store: {@link dev.otpengine.jdbc.JdbcStore}, the state of any number of engines in one
 * PostgreSQL database.
 */
module dev.otpengine.jdbc {
    requires transitive dev.otpengine;
    requires transitive java.sql; // JdbcStore.builder(DataSource)
    requires org.slf4j;

    exports dev.otpengine.jdbc;
}
