import type { InvestigationMode } from './analysis-options';

/**
 * The mode a question asks for when none is given: the original's table of words, read in the
 * question lowercased, first match wins in this order. Shared so that the workbench's form shows
 * the mode a question routes to as it is typed.
 */
const ROUTES: { mode: InvestigationMode; phrases: string[] }[] = [
  { mode: 'concentration_drivers', phrases: ['concentration', 'concentrated'] },
  { mode: 'recommend_next', phrases: ['what should i inspect', 'what should we inspect', 'what next', 'inspect next'] },
  { mode: 'compare_snapshots', phrases: ['compare', 'biggest shift', 'biggest change', 'largest change'] },
];

export function routeMode(question: string): InvestigationMode {
  const q = question.toLowerCase().replace(/\s+/g, ' ');
  for (const route of ROUTES) if (route.phrases.some((p) => q.includes(p))) return route.mode;
  return 'change_drivers';
}

/** What the mode's score measures, and so the unit of the contribution threshold. */
export const scoreUnit = (mode: InvestigationMode): 'share_pp' | 'pct_of_total_change' =>
  mode === 'concentration_drivers' ? 'share_pp' : 'pct_of_total_change';
