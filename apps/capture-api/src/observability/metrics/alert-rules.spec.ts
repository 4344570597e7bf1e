import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { parse } from 'yaml';
import { startTestApp, type TestApp } from '../../testing/test-app';

const RULES = join(__dirname, '../../../../../docs/alerts/capture-gateway.rules.yml');

interface Rule {
  alert: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** The metric names an expression selects, and whether PromQL's own grammar accepts it. */
function readExpression(expr: string): { valid: boolean; metrics: string[] } {
  let valid = true;
  const metrics: string[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) valid = false;
      if (node.name === 'Identifier') metrics.push(expr.slice(node.from, node.to));
    },
  });
  return { valid, metrics };
}

describe('the example alert rules (docs/alerts)', () => {
  let t: TestApp;
  let exposed: Set<string>;
  const rules = (parse(readFileSync(RULES, 'utf8')) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap((g) => g.rules);

  beforeAll(async () => {
    t = await startTestApp();
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    const names = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].flatMap(([, name = '', type]) =>
      type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name],
    );
    exposed = new Set(names);
  });
  afterAll(() => t?.close());

  test('cover unknown captures, pending past the threshold, and provider errors', () => {
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining(['CaptureUnknownTooLong', 'CapturePendingPastThreshold', 'ProviderErrors']),
    );
  });

  test.each(rules.map((r) => [r.alert, r] as const))('%s parses as PromQL and names only metrics the service exposes', (_name, rule) => {
    const { valid, metrics } = readExpression(rule.expr);
    expect(valid).toBe(true);
    expect(metrics.length).toBeGreaterThan(0);
    for (const metric of metrics) expect({ metric, exposed: exposed.has(metric) }).toEqual({ metric, exposed: true });
    expect(rule.labels?.['severity']).toMatch(/^(page|ticket)$/);
    expect(rule.annotations?.['summary']).toBeTruthy();
  });

  test('a misspelt metric or broken expression would be caught', () => {
    expect(readExpression('sum(rate(captures_total[5m]) >').valid).toBe(false);
    expect(exposed.has('capture_in_doubt_oldest_age_second')).toBe(false);
  });
});
