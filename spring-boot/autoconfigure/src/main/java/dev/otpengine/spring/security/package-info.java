/**
 * Signing in with a code in a Spring Security application: {@link dev.otpengine.spring.security.OtpLoginConfigurer},
 * applied with {@code http.with(OtpLoginConfigurer.otpLogin(), login -> login.widget("<uuid>"))}, serves a login page
 * at {@code GET /login/otp}, sends codes at {@code POST /login/otp/send} and signs the user in at
 * {@code POST /login/otp} once the engine has verified the code. Spring Security is an optional dependency of this
 * module: nothing in this package is loaded by an application without it.
 */
package dev.otpengine.spring.security;
