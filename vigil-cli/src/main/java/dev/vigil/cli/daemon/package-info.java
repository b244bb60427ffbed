/**
 * The daemon behind {@code vigil run}: {@code vigil.yaml} (Falco's keys, overlays, {@code -o}), the
 * wiring of rules and outputs, hot reload on SIGHUP and file changes, and the web endpoints ({@code
 * /healthz}, {@code /metrics}, {@code /versions}).
 */
@NullMarked
package dev.vigil.cli.daemon;

import org.jspecify.annotations.NullMarked;
