export function orderSections(files: string[]): string[];
export function machineOf(section: string): { title: string; machine: string | null; date: string | null };
export function report(sections: string[]): string;
