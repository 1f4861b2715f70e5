/**
 * What a tagged PDF printed by Chromium (`page.pdf({ tagged: true })`) says about where things
 * landed: its structure tree lists the headings, figures, tables and paragraphs in reading order,
 * each piece of content with the page it is printed on. Chromium's PDF writer (Skia) stores these
 * dictionaries as plain text objects, so a few patterns read them; if it ever stops doing so,
 * `printedContent` finds no structure and throws rather than passing.
 */

/** One run of printed content, in reading order. */
export interface PrintedContent {
  /** 1-based page number. */
  page: number;
  /** The structure element the content belongs to (H1, H2, P, Figure, TH, TD, …). */
  role: string;
  /** The nearest enclosing heading element, as an index into `headings`. */
  heading: number | null;
  /** The alternative text of the nearest enclosing figure (an SVG chart's aria-label). */
  figure: string | null;
}

interface StructElem {
  role: string;
  alt: string | null;
  kids: (number | { page: number })[];
}

/** A PDF text string: (literal) or <FEFF…> UTF-16BE hex. */
function pdfString(raw: string): string {
  if (!raw.startsWith('<')) return raw.slice(1, -1).replace(/\\(.)/g, '$1');
  const hex = raw.slice(1, -1).replace(/^FEFF/i, '');
  let text = '';
  for (let i = 0; i < hex.length; i += 4) text += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
  return text;
}

export function printedContent(pdf: Uint8Array): { pages: number; content: PrintedContent[]; headings: string[] } {
  const text = Buffer.from(pdf).toString('latin1');
  const pageTree = new Map<number, number[]>();
  for (const m of text.matchAll(/(\d+) 0 obj\n<<\/Type \/Pages\n[\s\S]*?\/Kids \[([^\]]*)\]/g)) {
    pageTree.set(Number(m[1]), [...m[2].matchAll(/(\d+) 0 R/g)].map((r) => Number(r[1])));
  }
  const catalog = /\/Type \/Catalog\n\/Pages (\d+) 0 R/.exec(text);
  const treeRoot = /\/Type \/StructTreeRoot\n\/K (\d+) 0 R/.exec(text);
  if (!catalog || !treeRoot) throw new Error('the PDF has no page tree or no structure tree: was it printed with tagged: true?');
  const pageObjects: number[] = [];
  const walk = (id: number) => (pageTree.has(id) ? pageTree.get(id)!.forEach(walk) : pageObjects.push(id));
  walk(Number(catalog[1]));
  const pageNumber = new Map(pageObjects.map((id, i) => [id, i + 1]));

  const elems = new Map<number, StructElem>();
  for (const m of text.matchAll(/(\d+) 0 obj\n<<\/Type \/StructElem\n([\s\S]*?)>>\nendobj/g)) {
    // Content on another page than the element's own /Pg is a marked-content reference dictionary.
    const refs: number[] = [];
    const body = m[2].replace(/<<\/Type \/MCR\n\/Pg (\d+) 0 R\n\/MCID \d+>>/g, (_, pg: string) => ` MCR${refs.push(Number(pg)) - 1} `);
    const ownPage = /\/Pg (\d+) 0 R/.exec(body)?.[1];
    const kids: StructElem['kids'] = [];
    const list = /\/K (\[[^\]]*\]|\d+ 0 R|\d+)/.exec(body)?.[1] ?? '';
    for (const t of list.matchAll(/(\d+) 0 R|MCR(\d+)|(\d+)/g)) {
      if (t[1]) kids.push(Number(t[1]));
      else kids.push({ page: pageNumber.get(t[2] ? refs[Number(t[2])] : Number(ownPage))! });
    }
    const alt = /\/Alt (<[0-9A-Fa-f]*>|\((?:\\.|[^\\)])*\))/.exec(body)?.[1];
    elems.set(Number(m[1]), { role: /\/S \/(\w+)/.exec(body)![1], alt: alt ? pdfString(alt) : null, kids });
  }

  const content: PrintedContent[] = [];
  const headings: string[] = [];
  const visit = (id: number, heading: number | null, figure: string | null) => {
    const elem = elems.get(id);
    if (!elem) throw new Error(`structure element ${id} not found`);
    const inHeading = /^H\d$/.test(elem.role) ? headings.push(elem.role) - 1 : heading;
    const inFigure = elem.alt ?? figure;
    for (const kid of elem.kids) {
      if (typeof kid === 'number') visit(kid, inHeading, inFigure);
      else content.push({ page: kid.page, role: elem.role, heading: inHeading, figure: inFigure });
    }
  };
  visit(Number(treeRoot[1]), null, null);
  if (content.length === 0) throw new Error('the structure tree holds no content');
  return { pages: pageObjects.length, content, headings };
}
