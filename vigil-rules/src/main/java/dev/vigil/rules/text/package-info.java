/**
 * Source text and positions: rules files ({@link dev.vigil.rules.text.SourceFile}) and condition
 * texts assembled from pieces of them ({@link dev.vigil.rules.text.Text}), so that every diagnostic
 * and every node of an expanded condition can say where it came from.
 */
@NullMarked
package dev.vigil.rules.text;

import org.jspecify.annotations.NullMarked;
