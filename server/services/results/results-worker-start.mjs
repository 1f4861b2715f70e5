// The results worker's entry point. A worker thread does not inherit tsx from a process started
// under vitest (nor, reliably, under tsx itself), so it registers the TypeScript loader and then
// loads the worker's code.
import { register } from 'tsx/esm/api';

register();
await import('./results-worker.ts');
