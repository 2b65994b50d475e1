/**
 * The engine's implementation: code generation and hashing, storage, delivery, discovery, text rendering.
 * Not exported by the module and not part of the API: anything here may change in any release.
 */
package dev.otpengine.internal;
