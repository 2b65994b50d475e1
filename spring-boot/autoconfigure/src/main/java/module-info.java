/**
 * The otpengine Spring Boot auto-configuration: an {@link dev.otpengine.OtpEngine} from {@code otpengine.*} properties,
 * its REST endpoints, health and meters, and signing in with a code in a Spring Security application.
 */
module dev.otpengine.spring.boot {
    requires transitive dev.otpengine;
    requires transitive spring.boot;
    requires transitive spring.boot.autoconfigure;
    requires spring.beans;
    requires spring.context;
    requires spring.core;
    requires org.slf4j; // the webhooks' log lines, as the engine's own
    // optional, as in the pom: each part is configured only when its classes are there
    requires static dev.otpengine.micrometer;
    requires static micrometer.core;
    requires static dev.otpengine.redis;
    requires static dev.otpengine.jdbc;
    requires static java.sql; // the application's DataSource, for otpengine.store=jdbc
    requires static spring.web;
    requires static spring.webmvc;
    requires static jakarta.servlet;
    requires static spring.boot.health;
    requires static spring.security.core;
    requires static spring.security.config;
    requires static spring.security.web;

    exports dev.otpengine.spring.boot;
    exports dev.otpengine.spring.security;
    // Spring reads and proxies the configuration classes, binds the properties and calls the controller reflectively
    opens dev.otpengine.spring.boot;
}
