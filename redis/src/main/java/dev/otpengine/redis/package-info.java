/**
 * {@link dev.otpengine.redis.RedisStore}: the state of any number of engines in one Redis (standalone, Sentinel or
 * Cluster, through Lettuce), so that several instances of an application behave as one engine: one newest code per
 * address, exact attempts and limits, one block list.
 */
package dev.otpengine.redis;
