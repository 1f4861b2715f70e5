import { entryScript } from './entry-script';
import { frameUploadScript } from './frame-upload-script';

/**
 * The pages' few scripts, served as files from /assets/ rather than inline, so the
 * Content-Security-Policy can say `script-src 'self'` and no injected inline script runs.
 * Every page works without them.
 */
export const pageScripts = {
  /** The entry page's keyboard flow (entry-script.ts). */
  'entry.js': entryScript,
  /** The frame upload's progress (frame-upload-script.ts). */
  'frame-upload.js': frameUploadScript,
  /** The QR form: caps the improvement priorities at their maximum as boxes are ticked; the server checks too. */
  'qr-form.js': () =>
    `document.querySelectorAll('fieldset[data-max]').forEach(function(f){var m=+f.dataset.max,b=f.querySelectorAll('input');function u(){var n=0;b.forEach(function(i){n+=i.checked});b.forEach(function(i){if(!i.checked)i.disabled=n>=m})}f.addEventListener('change',u);u()})`,
  /** The mailing pack's «In» button, shown only when it can work. */
  'print.js': () =>
    `document.querySelectorAll('[data-print]').forEach(function(b){b.hidden=false;b.addEventListener('click',function(){print()})})`,
} satisfies Record<string, () => string>;

export type PageScript = keyof typeof pageScripts;

/** Where a page loads one of these scripts from. */
export function scriptPath(name: PageScript): string {
  return `/assets/${name}`;
}
