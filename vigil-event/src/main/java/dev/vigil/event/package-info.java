/**
 * The event model every Vigil source shares: {@link dev.vigil.event.Event}, field definitions and
 * catalogues ({@link dev.vigil.event.FieldCatalogue}), event-type tables and the extractor SPI
 * through which compiled rules read field values.
 *
 * <p>This module has no dependencies: sources ({@code vigil-kernel}, {@code vigil-k8saudit}) and
 * the rule engine ({@code vigil-rules}) meet here.
 */
@NullMarked
package dev.vigil.event;

import org.jspecify.annotations.NullMarked;
