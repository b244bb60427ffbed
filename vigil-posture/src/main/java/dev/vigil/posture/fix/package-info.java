/**
 * Fixes as minimal text edits to the user's YAML: comments, key order and formatting of untouched
 * parts are kept. Also renders the same edits as JSON Patches and unified diffs.
 */
@NullMarked
package dev.vigil.posture.fix;

import org.jspecify.annotations.NullMarked;
