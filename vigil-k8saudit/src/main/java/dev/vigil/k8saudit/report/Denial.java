package dev.vigil.k8saudit.report;

/** Why a request was refused, told apart as kube-apiserver's audit events allow. */
public enum Denial {
  /** 401: no valid credentials (a single ResponseStarted event, empty user). */
  AUTHENTICATION,
  /** 403 with decision {@code forbid}: RBAC or another authorizer said no. */
  AUTHORIZATION,
  /** 403 with decision {@code allow}: authorized, then rejected by admission (PSA, policies). */
  ADMISSION,
  /** 403 with no decision and "cannot impersonate": the impersonation filter said no. */
  IMPERSONATION,
  /** Any other 403. */
  OTHER_FORBIDDEN
}
