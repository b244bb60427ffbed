/**
 * Following the files kube-apiserver's log backend writes: across rotations (rename, then a new
 * file), with a checkpoint so that a restart resumes where the last run stopped.
 */
@NullMarked
package dev.vigil.k8saudit.tail;

import org.jspecify.annotations.NullMarked;
