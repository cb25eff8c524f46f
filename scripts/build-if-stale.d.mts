/** `quiet`: no "Building…" line; `verbose`: the bundler's own output (else shown only on failure). */
export interface BuildOptions {
  quiet?: boolean;
  verbose?: boolean;
}
export function buildIfStale(options?: BuildOptions): boolean;
export function buildAll(options?: BuildOptions): Promise<boolean>;
