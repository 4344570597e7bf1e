import { readFileSync } from 'node:fs';

/** One instruction of a Dockerfile: its keyword (upper case), its arguments with continuations joined. */
export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  image: string;
  name?: string;
  instructions: Instruction[];
}

/** The stages of a Dockerfile, in order. Comments and blank lines are dropped; `\` continues a line. */
export function readDockerfile(path: string): Stage[] {
  const lines = readFileSync(path, 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [keyword = '', args = ''] = splitOnce(line);
    const instruction = { keyword: keyword.toUpperCase(), args: args.trim() };
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.args.split(/\s+/);
      stages.push({ image, ...(as?.toUpperCase() === 'AS' && name ? { name } : {}), instructions: [] });
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`${path}: ${instruction.keyword} before any FROM`);
      stage.instructions.push(instruction);
    }
  }
  return stages;
}

function splitOnce(line: string): [string, string] {
  const space = line.search(/\s/);
  return space < 0 ? [line, ''] : [line.slice(0, space), line.slice(space + 1)];
}

/** The arguments of an instruction's exec form (`["node", "x.js"]`); a shell form is refused. */
export function execForm(args: string): string[] {
  if (!args.startsWith('[')) throw new Error(`not in exec form (a JSON array): ${args}`);
  return JSON.parse(args) as string[];
}

/** `--name=value` options at the start of an instruction's arguments, and the rest. */
export function withOptions(args: string): { options: Record<string, string>; rest: string } {
  const options: Record<string, string> = {};
  let rest = args;
  for (let match = /^--([a-z-]+)=(\S+)\s*/.exec(rest); match; match = /^--([a-z-]+)=(\S+)\s*/.exec(rest)) {
    const [whole, name = '', value = ''] = match;
    options[name] = value;
    rest = rest.slice(whole.length);
  }
  return { options, rest };
}

/** A `COPY [--from=stage] src… dest` instruction's parts. */
export function copyOf(args: string): { from?: string; sources: string[]; dest: string } {
  const { options, rest } = withOptions(args);
  const parts = rest.split(/\s+/);
  const dest = parts.pop();
  if (!dest || parts.length === 0) throw new Error(`COPY needs a source and a destination: ${args}`);
  return { ...(options['from'] ? { from: options['from'] } : {}), sources: parts, dest };
}

/** `KEY=value` pairs of an ENV instruction (no quoting: ours need none). */
export function envOf(args: string): Record<string, string> {
  return Object.fromEntries(
    args.split(/\s+/).map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 1) throw new Error(`ENV in KEY=value form only: ${args}`);
      return [pair.slice(0, eq), pair.slice(eq + 1)];
    }),
  );
}

/**
 * A .dockerignore's rules as Docker applies them to paths relative to the context: `*` and `?` stay
 * within a path segment, `**` spans any, a matched folder takes everything below it, `!` re-includes,
 * and the last matching rule wins.
 */
export function dockerIgnore(text: string): (path: string) => boolean {
  const rules = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const include = line.startsWith('!');
      const pattern = (include ? line.slice(1) : line).replace(/^\/+|\/+$/g, '');
      return { include, regex: new RegExp(`^${patternToRegex(pattern)}(/.*)?$`) };
    });
  return (path) => rules.reduce((ignored, rule) => (rule.regex.test(path) ? !rule.include : ignored), false);
}

function patternToRegex(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (pattern.startsWith('**/', i)) {
      out += '(.*/)?';
      i += 2;
    } else if (pattern.startsWith('**', i)) {
      out += '.*';
      i += 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return out;
}
