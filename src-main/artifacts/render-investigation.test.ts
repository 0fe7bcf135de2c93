import { describe, expect, it } from 'vitest';
import type { InvestigationArtifact } from '../../src-shared/artifacts/investigation';
import { investigationArtifact } from '../../tests/llm/planner-fixtures';
import { investigationMarkdown, nextFlags } from './render-investigation';

describe('the investigation report: the next question to ask', () => {
  it('writes its flags as a code span, and a cell value with backticks or markup never comes out raw', () => {
    const a = {
      ...investigationArtifact(),
      final_summary: { text: ['x'], source: 'deterministic', replaced_reason: null },
    } as InvestigationArtifact;
    a.recommended_next = { question: 'Which channel?', where: [{ dimension: 'region', value: 'West' }], dimensions: ['channel'] };
    expect(investigationMarkdown(a)).toContain('Ask it with the same inputs and `--question "Which channel?" --where "region=West" --dimensions "channel"`.');

    a.recommended_next = { question: 'Why?', where: [{ dimension: 'store', value: '`<img src=x onerror=alert(1)>`' }], dimensions: [] };
    expect(nextFlags(a)).toBe('--question "Why?" --where "store=\\`<img src=x onerror=alert(1)>\\`"');
    const md = investigationMarkdown(a);
    const line = md.split('\n').find((l) => l.startsWith('Ask it with'))!;
    expect(line).not.toContain('<img');
    expect(line).toContain('&lt;img');
  });
});
