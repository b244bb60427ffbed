/**
 * Live workloads from the Kubernetes API: {@link dev.vigil.posture.cluster.Kubeconfig} reads a
 * kubeconfig (clusters, users, contexts; CA, client certificates and keys in PEM, tokens), {@link
 * dev.vigil.posture.cluster.KubeClient} lists objects with the JDK's HttpClient, page by page,
 * streaming each page's items, and {@link dev.vigil.posture.cluster.ClusterScan} checks them as
 * file scans do, reporting pods and jobs owned by a controller only through that controller.
 */
@NullMarked
package dev.vigil.posture.cluster;

import org.jspecify.annotations.NullMarked;
