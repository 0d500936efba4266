/**
 * Spring Boot integration of {@code secrets}: {@code spring.config.import=secrets:ID}, an
 * auto-configured {@link dev.secrets.SecretsClient}, change events and an Actuator health indicator.
 */
package dev.secrets.spring;
