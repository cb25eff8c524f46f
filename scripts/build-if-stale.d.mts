export function buildIfStale(options?: { quiet?: boolean }): boolean;
export function buildAll(options?: { quiet?: boolean }): Promise<boolean>;
