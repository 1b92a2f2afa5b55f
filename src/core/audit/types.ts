/** One entry of the hash-chained audit log (DESIGN §4). */
export interface AuditDraft {
  /** What happened, e.g. `promotion.approved`, `promotion.refused`, `sp.created`. */
  action: string;
  /** Platform-qualified principal id, or `system`. */
  actor: string;
  env?: string;
  model?: string;
  requestId?: string;
  /** Structured detail; never secrets. */
  detail: Record<string, unknown>;
  correlationId?: string;
}

export interface AuditEntry extends AuditDraft {
  /** 1-based position in the chain. */
  seq: number;
  at: string; // ISO time
  prevHash: string;
  hash: string;
}

export interface AuditFilter {
  model?: string;
  env?: string;
  requestId?: string;
  since?: Date;
  limit?: number;
}

/**
 * The chain's head as recorded outside the log (count and last hash), moved in the same
 * transaction as every append: deleting the newest entries cannot move it back.
 */
export interface AuditHead {
  seq: number;
  hash: string;
}
