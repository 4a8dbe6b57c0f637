/** Positional parameters of one statement: `add` returns the placeholder of a value, never the value itself. */
export class Params {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
