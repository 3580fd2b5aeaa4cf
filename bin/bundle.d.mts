// Types for bundle.mjs (plain JavaScript: it runs before any TypeScript loader).
export declare const ROOT: string;
export declare const DEFAULT_OUT: string;
export declare function freshBundle(out?: string): string | null;
