export const MAX_LINES: number;
export function isChecked(file: string): boolean;
export function lineCount(text: string): number;
export function oversized(files: string[], read: (file: string) => string): [string, number][];
