/**
 * What happened in an audit log ({@code vigil audit report}): activity per identity, a timeline,
 * unauthorized attempts by cause, Secret access, exec/attach sessions, destructive actions, and
 * identities and source addresses seen for the first time.
 */
@NullMarked
package dev.vigil.k8saudit.report;

import org.jspecify.annotations.NullMarked;
