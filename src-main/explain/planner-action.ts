import type { PlannerAction, PlannerDecision, PlannerState } from '../engine/investigation/planner';
import type { InvestigationStep } from '../../src-shared/artifacts/investigation';
import type { SegmentCondition } from '../../src-shared/artifacts/segments';

/**
 * The model planner's reply, read and checked: the last JSON object of the reply is the proposed
 * action, and it stands only if it fits the investigation so far. Anything else gives the rule's
 * action, with the reason in the decision's note (it goes to the trace).
 */

/** The action as a model writes it (SPEC 9): `{action, reason, params: {group_by: [...], filters: {...}}}`. */
interface ProposedAction {
  action: string;
  reason: string;
  groupBy: string[];
  filters: Record<string, string> | null;
}

/** Every balanced `{...}` of the text that parses as a JSON object, in order of where it ends. */
export function jsonObjectsIn(text: string): Record<string, unknown>[] {
  const found: { end: number; value: Record<string, unknown> }[] = [];
  for (let start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) {
        try {
          const value: unknown = JSON.parse(text.slice(start, i + 1));
          if (value && typeof value === 'object' && !Array.isArray(value)) found.push({ end: i, value: value as Record<string, unknown> });
        } catch {
          // Not JSON (a brace in prose, a truncated object): not an action.
        }
        break;
      }
    }
  }
  // Objects nested in a later one end first; the outermost object that ends last is the answer.
  return found.sort((a, b) => a.end - b.end).map((f) => f.value);
}

/** The last JSON object of the reply that looks like an action (has an `action` key), as the model meant it. */
export function lastProposedAction(reply: string): ProposedAction | null {
  const objects = jsonObjectsIn(reply).filter((o) => typeof o.action === 'string');
  const o = objects.at(-1);
  if (!o) return null;
  const params = (o.params && typeof o.params === 'object' ? o.params : o) as Record<string, unknown>;
  const rawGroupBy = params.group_by ?? params.groupBy ?? params.dimension;
  const groupBy = (Array.isArray(rawGroupBy) ? rawGroupBy : rawGroupBy === undefined || rawGroupBy === null ? [] : [rawGroupBy])
    .filter((g): g is string | number => typeof g === 'string' || typeof g === 'number')
    .map(String)
    .filter((g) => g.trim() !== '');
  const rawFilters = params.filters;
  let filters: Record<string, string> | null = null;
  if (rawFilters && typeof rawFilters === 'object' && !Array.isArray(rawFilters)) {
    filters = {};
    for (const [k, v] of Object.entries(rawFilters as Record<string, unknown>))
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') filters[k] = String(v);
  }
  return {
    action: String(o.action).trim().toLowerCase(),
    reason: typeof o.reason === 'string' ? o.reason.trim() : '',
    groupBy,
    filters,
  };
}

const fold = (s: string) => s.trim().toLowerCase();
const scopeText = (scope: SegmentCondition[]) =>
  scope.length ? scope.map((c) => `${c.dimension}=${c.value}`).join(', ') : 'the whole table';
const sameScope = (a: SegmentCondition[], b: SegmentCondition[]) =>
  a.length === b.length && a.every((c) => b.some((d) => d.dimension === c.dimension && d.value === c.value));

/** A drill-down the model can name: an earlier step's scope plus one of its movers. */
interface Branch {
  step: InvestigationStep;
  scope: SegmentCondition[];
  records: number;
}

function branchesOf(steps: InvestigationStep[]): Branch[] {
  return steps.flatMap((step) =>
    step.movers.map((m) => ({
      step,
      scope: [...step.scope, { dimension: step.dimension, value: m.segment }],
      records: Math.max(m.base_records, m.new_records),
    })),
  );
}

type Checked = { ok: true; action: PlannerAction; pivot?: string } | { ok: false; why: string };

/**
 * The segment the filters name: the branch all of whose conditions they state or leave out, and
 * that has the filters' last-named condition as its own mover (so `{"channel": "Online"}` names
 * the Online mover of a channel step, under whatever scope that step had). When several steps
 * have such a mover, the filters must say which (an exact match wins; else the latest step).
 */
function branchNamed(filters: SegmentCondition[], branches: Branch[]): Branch | null {
  const matching = branches.filter((b) => {
    const own = b.scope.at(-1)!;
    const states = (c: SegmentCondition) => b.scope.some((d) => d.dimension === c.dimension && d.value === c.value);
    return filters.every(states) && filters.some((c) => c.dimension === own.dimension && c.value === own.value);
  });
  return matching.find((b) => b.scope.length === filters.length) ?? matching.at(-1) ?? null;
}

/** Checks a proposed action against the state: the action to take, or why it cannot be taken. */
export function checkAction(p: ProposedAction, state: PlannerState, rule: PlannerAction): Checked {
  const known = new Map(state.dimensions.map((d) => [fold(d), d]));
  const reason = p.reason || '(the model gave no reason)';
  const first = state.steps.length === 0;
  if (!['analyze_compare', 'drill_down', 'stop'].includes(p.action))
    return { ok: false, why: `the model's action '${p.action}' is not analyze_compare, drill_down or stop` };
  if (first && p.action !== 'analyze_compare')
    return { ok: false, why: `the first action must be analyze_compare (the model answered ${p.action})` };
  const unknown = [...p.groupBy, ...Object.keys(p.filters ?? {})].filter((d) => !known.has(fold(d)));
  if (unknown.length > 0)
    return {
      ok: false,
      why: `the model named ${unknown.length === 1 ? 'a dimension' : 'dimensions'} the investigation does not have: ${unknown.map((d) => `'${d}'`).join(', ')} (available: ${state.dimensions.join(', ')})`,
    };
  const groupBy = p.groupBy[0] === undefined ? null : known.get(fold(p.groupBy[0]))!;

  if (p.action === 'analyze_compare') {
    if (!first) return { ok: false, why: 'analyze_compare is only the first step; later steps drill down or stop' };
    if (!groupBy) return { ok: false, why: 'the model named no dimension to group by' };
    return { ok: true, action: { action: 'analyze_compare', reason, groupBy } };
  }

  if (p.action === 'stop') {
    // After the first step, a stop while the rule still finds a branch worth opening is premature:
    // the rule's drill-down is followed.
    if (rule.action === 'drill_down')
      return {
        ok: false,
        why: `the model stopped at depth ${state.depth} while a branch still passes the thresholds; the rule's drill-down is followed`,
      };
    return { ok: true, action: { action: 'stop', reason } };
  }

  // drill_down: the segment to open, named by the filters or the last step's top mover.
  const branches = branchesOf(state.steps);
  let branch: Branch | null;
  if (!p.filters || Object.keys(p.filters).length === 0) {
    const last = state.steps.at(-1)!;
    const top = last.movers[0];
    if (!top) return { ok: false, why: `the model gave no filters and the last step (${last.id}) has no mover to inherit` };
    branch = branches.find((b) => b.step === last && b.scope.at(-1)!.value === top.segment)!;
  } else {
    const filters: SegmentCondition[] = [];
    for (const [d, v] of Object.entries(p.filters)) {
      const dimension = known.get(fold(d))!;
      const same = filters.find((c) => c.dimension === dimension);
      if (same && fold(same.value) !== fold(v))
        return { ok: false, why: `the model's filters conflict: ${dimension} is both '${same.value}' and '${v}'` };
      if (!same) filters.push({ dimension, value: v });
    }
    // Values as the cells wrote them (the model may change their case).
    const canonical = filters.map((c) => {
      const hit = branches.find((b) => b.scope.some((s) => s.dimension === c.dimension && fold(s.value) === fold(c.value)));
      return hit ? hit.scope.find((s) => s.dimension === c.dimension && fold(s.value) === fold(c.value))! : c;
    });
    branch = branchNamed(canonical, branches);
    if (!branch)
      return {
        ok: false,
        why: `the filters ${scopeText(canonical)} name no segment among the movers of the steps so far`,
      };
  }
  if (branch.scope.length > state.maxDepth - 1)
    return { ok: false, why: `drilling into ${scopeText(branch.scope)} would go beyond the maximum depth of ${state.maxDepth}` };
  if (branch.records < state.constraints.minSliceRows)
    return {
      ok: false,
      why: `${scopeText(branch.scope)} holds ${branch.records} rows on its larger side, fewer than the minimum slice of ${state.constraints.minSliceRows}`,
    };

  const fixed = new Set(branch.scope.map((c) => c.dimension));
  const taken = (d: string) => state.steps.some((s) => s.dimension === d && sameScope(s.scope, branch.scope));
  if (groupBy && fixed.has(groupBy))
    return { ok: false, why: `the scope already fixes ${groupBy} (${scopeText(branch.scope)}); it cannot also be split by it` };
  // A path already taken (or none named) pivots to the next dimension this segment has not been split by.
  if (!groupBy || taken(groupBy)) {
    const next = state.dimensions.find((d) => !fixed.has(d) && !taken(d));
    const what = groupBy ? `${scopeText(branch.scope)} by ${groupBy} was already taken` : 'the model named no dimension to split by';
    if (!next) return { ok: false, why: `${what}, and ${scopeText(branch.scope)} has no dimension left to split by` };
    return {
      ok: true,
      action: { action: 'drill_down', reason, groupBy: next, filters: branch.scope },
      pivot: `${what}; pivoted to ${next}, the next unused dimension`,
    };
  }
  return { ok: true, action: { action: 'drill_down', reason, groupBy, filters: branch.scope } };
}

/** The decision for a model's reply: its action when it checks out, the rule's action (and why) when not. */
export function decide(reply: string, state: PlannerState, rule: PlannerAction): PlannerDecision {
  const proposed = lastProposedAction(reply);
  if (!proposed) {
    // Control characters (a small model's stray bytes) are left out of the note.
    const shown = reply
      .replace(/\p{Cc}+/gu, ' ')
      .trim()
      .replace(/\s+/g, ' ');
    return {
      action: rule,
      chosenBy: 'fallback',
      note: `the model's reply held no JSON action${shown ? ` ("${shown.length > 80 ? `${shown.slice(0, 80)}…` : shown}")` : ' (it was empty)'}`,
    };
  }
  const checked = checkAction(proposed, state, rule);
  if (!checked.ok) return { action: rule, chosenBy: 'fallback', note: checked.why };
  return { action: checked.action, chosenBy: 'llm', ...(checked.pivot ? { note: checked.pivot } : {}) };
}
