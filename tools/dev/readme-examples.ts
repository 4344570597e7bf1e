/**
 * The README convention the examples test reads: in a ```bash or ```sh block that calls curl, a
 * command may be followed by one `# → <status> [path=value …]` line, the answer the README
 * promises. `path` is a dotted path into the JSON body (`data.0.status`, `error.provider.code`).
 */
export interface Expectation {
  status: number;
  fields: ReadonlyArray<{ path: string; value: string }>;
}

export interface ExampleStep {
  /** The command as the shell reads it (continuation lines joined). */
  command: string;
  expect?: Expectation;
}

export interface ExampleBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  steps: ExampleStep[];
}

const FENCE = /^```(\w*)\s*$/;
const EXPECT = /^#\s*→\s*(\d{3})((?:\s+[\w.-]+=\S+)*)\s*$/;

/** Every shell block of a Markdown file that calls curl, split into commands and their expectations. */
export function shellExamples(file: string, markdown: string): ExampleBlock[] {
  const blocks: ExampleBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (!open) continue;
    const end = lines.findIndex((text, j) => j > i && text.trim() === '```');
    if (end === -1) throw new Error(`${file}:${i + 1}: a code block is never closed`);
    const body = lines.slice(i + 1, end);
    if (['bash', 'sh'].includes(open[1] ?? '') && body.some((text) => /\bcurl\b/.test(text))) {
      blocks.push({ file, line: i + 1, steps: stepsOf(file, i + 2, body) });
    }
    i = end;
  }
  return blocks;
}

function stepsOf(file: string, firstLine: number, body: string[]): ExampleStep[] {
  const steps: ExampleStep[] = [];
  let pending = '';
  body.forEach((text, index) => {
    const marker = text.trim();
    if (pending === '' && marker.startsWith('#')) {
      if (!marker.startsWith('# →')) return;
      const match = EXPECT.exec(marker);
      const last = steps.at(-1);
      if (!match || !last || last.expect)
        throw new Error(`${file}:${firstLine + index}: "${marker}" follows no command or does not read "# → <status> path=value…"`);
      last.expect = { status: Number(match[1]), fields: fieldsOf(match[2] ?? '') };
      return;
    }
    if (marker === '' && pending === '') return;
    pending += text.endsWith('\\') ? `${text.slice(0, -1)} ` : text;
    if (!text.endsWith('\\')) {
      steps.push({ command: pending.trim() });
      pending = '';
    }
  });
  return steps;
}

function fieldsOf(text: string): Expectation['fields'] {
  return text
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf('=');
      return { path: pair.slice(0, at), value: pair.slice(at + 1) };
    });
}

/** The value at a dotted path, as text (`undefined` when the path does not exist). */
export function valueAt(body: unknown, path: string): string | undefined {
  let current: unknown = body;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current === undefined ? undefined : typeof current === 'string' ? current : JSON.stringify(current);
}

/** Splits `curl -si`'s output (or a plain body) into the status and the parsed JSON body. */
export function parseAnswer(output: string, statusFromW: number): { status: number; body: unknown } {
  const text = output.startsWith('HTTP/') ? output.slice(output.search(/\r?\n\r?\n/) + 1).trim() : output.trim();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: statusFromW, body };
}
