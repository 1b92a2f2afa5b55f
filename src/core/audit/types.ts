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
