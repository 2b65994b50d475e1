/**
 * The runnable demo: {@link dev.otpengine.demo.Demo}. Run it from the repository root with
 * {@code mvn -B -q -pl demo -am -Pdemo -DskipTests package}.
 */
package dev.otpengine.demo;
