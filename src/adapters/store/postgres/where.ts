/** Builds numbered placeholders and a WHERE clause for dynamic filters, never splicing values into SQL. */
export class Where {
  readonly params: unknown[] = [];
  private readonly conditions: string[] = [];

  /** Adds a parameter and returns its placeholder (`$1`, `$2`, …). */
  p(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  add(condition: string): void { this.conditions.push(condition); }

  sql(): string { return this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : ''; }
}
