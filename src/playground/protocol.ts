/**
 * The messages between the playground page and its worker: the page asks to check or run a
 * scenario's text; the worker answers with the CLI's own error text, progress, and the results.
 */

/** What the page sends. `file` is the name errors show, as the CLI shows the file it read. */
export type ToWorker =
  | { readonly kind: 'check'; readonly seq: number; readonly text: string; readonly file: string }
  | { readonly kind: 'run'; readonly text: string; readonly file: string };

/** What a checked scenario offers the controls (undefined fields: the scenario's defaults). */
export interface ScenarioFacts {
  readonly name: string;
  readonly seed: string;
  readonly sessions: number | undefined;
  readonly backends: readonly string[];
  readonly strategies: readonly string[];
}

/** What the worker answers. `errors` is exactly what `lbsim validate` prints on stderr. */
export type FromWorker =
  | { readonly kind: 'checked'; readonly seq: number; readonly errors: string | null; readonly facts: ScenarioFacts | null }
  | { readonly kind: 'progress'; readonly fraction: number; readonly label: string }
  | { readonly kind: 'done'; readonly summaryJson: string; readonly reportHtml: string; readonly runTimeMs: number }
  | { readonly kind: 'failed'; readonly errors: string };
