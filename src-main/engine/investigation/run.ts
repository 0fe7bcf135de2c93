import type { InvestigationMode, InvestigationOptions } from '../../../src-shared/analysis-options';
import {
  INVESTIGATION_SCHEMA,
  type InvestigationArtifact,
  type InvestigationStep,
  type TraceEntry,
} from '../../../src-shared/artifacts/investigation';
import type { SegmentCondition } from '../../../src-shared/artifacts/segments';
import { AppError } from '../../../src-shared/errors';
import { formatNumber } from '../../../src-shared/format';
import { bestDrill, branchesOf, branchScope, childProblem, type Thresholds } from './drill';
import type { InvestigationCube } from './investigation-cube';
import type { Planner, PlannerAction, PlannerState } from './planner';
import { branchGraph, coverageOf, finalSummary, majorGlobalChanges, recommendedNext } from './findings';
import { routeMode, scoreUnit } from './routing';
import { allMovers, leavesIn, stepOf, wholeTotals, type StepContext } from './step';

/** Branches a deterministic investigation may open at most (max_branches^(max_depth−1)). */
export const MAX_BRANCH_PATHS = 256;

/** The deterministic planner: the rule's action, always. */
export const deterministicPlanner: Planner = {
  kind: 'deterministic',
  next: async (_state, rule) => ({ action: rule, chosenBy: 'deterministic' }),
};

export function checkBranchLimit(o: Pick<InvestigationOptions, 'maxBranches' | 'maxDepth'>): void {
  const paths = o.maxBranches ** (o.maxDepth - 1);
  if (paths > MAX_BRANCH_PATHS)
    throw new AppError(
      'BAD_ARGUMENT',
      `max_branches ${o.maxBranches} at max_depth ${o.maxDepth} could open ${formatNumber(paths, 0)} branches, more than the ${MAX_BRANCH_PATHS} an investigation follows`,
      'Lower --max-branches or --max-depth (for example 3 branches to depth 5 is 81 branches).',
      ['maxBranches', 'maxDepth'],
    );
}

interface Run {
  cube: InvestigationCube;
  options: InvestigationOptions;
  mode: InvestigationMode;
  t: Thresholds;
  ctx: Omit<StepContext, 'depth' | 'parent' | 'scoreImprovement' | 'chosenBy'>;
  steps: InvestigationStep[];
  trace: TraceEntry[];
  /** Why each branch ended, in words (de-duplicated into the stopping reason). */
  endings: string[];
  onStep: ((step: InvestigationStep) => void) | undefined;
}

const where = (scope: readonly SegmentCondition[]): string =>
  scope.length === 0 ? 'the whole table' : scope.map((c) => `${c.dimension} = ${c.value}`).join(', ');

const NO_DRILL_JSON = 'the inputs are analyze artifacts, which hold one dimension: there is nothing to drill into';
const NO_DIMENSION = 'no dimension is left to drill into';
const maxDepthReached = (d: number) => `the maximum depth (${d}) was reached`;

function add(run: Run, step: InvestigationStep): void {
  run.steps.push(step);
  run.onStep?.(step);
}

/**
 * The investigation: the planner's steps on the cube, then what they found. With the
 * deterministic planner, a breadth-first drill-down (max_branches branches per step, each drilled
 * by the dimension with the best gain); with a model, one path, the model asked once per depth
 * (its action checked here too, the rule's action standing in for one that does not fit).
 * `onStep` sees each step as it is taken (the workbench's progress).
 */
export async function runInvestigation(
  cube: InvestigationCube,
  options: InvestigationOptions,
  planner: Planner,
  onStep?: (step: InvestigationStep) => void,
): Promise<InvestigationArtifact> {
  checkBranchLimit(options);
  if (cube.dimensions.length === 0)
    throw new AppError('NO_GROUP_COLUMNS', 'an investigation needs at least one dimension', 'Name one with --dimensions.', ['dimensions']);
  const mode = options.mode ?? routeMode(options.question);
  const whole = wholeTotals(cube);
  const run: Run = {
    cube,
    options,
    mode,
    t: {
      mode,
      maxBranches: options.maxBranches,
      minContribution: options.minContribution,
      minDeltaAbs: options.minDeltaAbs,
      minScoreImprovement: options.minScoreImprovement,
      minSliceRows: options.minSliceRows,
    },
    ctx: { mode, wholeDelta: whole.delta_metric, keep: Math.max(options.topMovers, options.maxBranches) },
    steps: [],
    trace: [],
    endings: [],
    onStep,
  };
  const warnings = [...cube.warnings];
  if (whole.delta_metric === 0 && mode !== 'concentration_drivers')
    warnings.push(
      `${cube.metric} did not change on the whole, so no segment has a share of the change (every score is 0); ask about concentration to rank by share points`,
    );
  if (planner.kind === 'deterministic') breadthFirst(run);
  else await singlePath(run, planner);
  const stopping = [...new Set(run.endings)].join('; ');

  const artifact: InvestigationArtifact = {
    schema: INVESTIGATION_SCHEMA,
    kind: 'investigation',
    question: options.question,
    mode,
    mode_source: options.mode ? 'option' : 'question',
    planner: planner.kind,
    planner_backend: planner.kind === 'llm' ? options.plannerBackend : null,
    planner_model: planner.kind === 'llm' ? options.plannerModel : null,
    input: cube.input,
    metric: cube.metric,
    where: cube.where,
    top_dimension: cube.dimensions[0]!,
    drill_fields: cube.dimensions.slice(1),
    dimensions_inferred: cube.dimensionsInferred,
    config: {
      max_depth: options.maxDepth,
      max_branches: options.maxBranches,
      min_contribution: options.minContribution,
      min_contribution_unit: scoreUnit(mode),
      min_delta_abs: options.minDeltaAbs,
      min_score_improvement: options.minScoreImprovement,
      min_slice_rows: options.minSliceRows,
      top_movers: options.topMovers,
    },
    totals: whole,
    steps: run.steps,
    major_global_changes: majorGlobalChanges(cube, mode, whole.delta_metric),
    coverage: coverageOf(run.steps, whole.delta_metric),
    branch_graph: branchGraph(run.steps),
    trace: run.trace,
    stopping_reason: stopping,
    recommended_next_question: '',
    recommended_next: { question: '', where: [], dimensions: [] },
    final_summary: null,
    warnings,
  };
  artifact.recommended_next = recommendedNext(artifact);
  artifact.recommended_next_question = artifact.recommended_next.question;
  const own = finalSummary(artifact);
  const fromModel = planner.summarize ? await planner.summarize(artifact) : null;
  artifact.final_summary =
    fromModel && 'text' in fromModel
      ? { text: fromModel.text, source: 'llm', replaced_reason: null }
      : { text: own, source: 'deterministic', replaced_reason: fromModel && 'rejected' in fromModel ? fromModel.rejected : null };
  return artifact;
}

function firstStep(run: Run, dimension: string, chosenBy: InvestigationStep['chosen_by'], reason: string): InvestigationStep {
  const step = stepOf(run.cube, [], dimension, { ...run.ctx, depth: 0, parent: null, scoreImprovement: null, chosenBy });
  add(run, step);
  run.trace.push({ depth: 0, action: 'analyze_compare', reason, step: step.id });
  return step;
}

/** SPEC 9's deterministic drill-down: each step's branches, each drilled by its best dimension, depth by depth. */
function breadthFirst(run: Run): void {
  const { cube, options, t } = run;
  const top = cube.dimensions[0]!;
  let frontier = [firstStep(run, top, 'deterministic', `the whole table split by the top dimension ${top}`)];
  for (let depth = 1; depth < options.maxDepth && frontier.length > 0; depth++) {
    if (!cube.drillable) {
      run.endings.push(NO_DRILL_JSON);
      run.trace.push({ depth, action: 'stop', reason: NO_DRILL_JSON, step: null });
      return;
    }
    const next: InvestigationStep[] = [];
    for (const parent of frontier) {
      const { branches, skipped } = branchesOf(parent, t);
      for (const s of skipped)
        run.trace.push({ depth, action: 'skip', reason: `${where(parent.scope)} by ${parent.dimension}: ${s.reason}`, step: parent.id });
      if (branches.length === 0) {
        const reason = `no segment of ${parent.dimension} in ${where(parent.scope)} passed the thresholds${skipped[0] ? ` (${skipped[0].reason})` : ''}`;
        run.endings.push('no further segment passed the thresholds');
        run.trace.push({ depth, action: 'stop', reason, step: parent.id });
      }
      for (const m of branches) {
        const scope = branchScope(parent, m);
        const drill = bestDrill(cube, parent, m, cube.dimensions, { ...run.ctx, chosenBy: 'deterministic' });
        if (!drill) {
          run.endings.push(NO_DIMENSION);
          run.trace.push({
            depth,
            action: 'stop',
            reason: `${where(scope)}: ${NO_DIMENSION} (every other dimension has one value there)`,
            step: parent.id,
          });
          continue;
        }
        const problem = childProblem(drill, t);
        if (problem) {
          run.endings.push('no further segment passed the thresholds');
          run.trace.push({ depth, action: 'skip', reason: `${where(scope)} by ${drill.child.dimension}: ${problem}`, step: parent.id });
          continue;
        }
        add(run, drill.child);
        run.trace.push({
          depth,
          action: 'drill_down',
          reason: `${where(scope)} split by ${drill.child.dimension}, the dimension with the best gain (${formatNumber(drill.gain)})`,
          step: drill.child.id,
        });
        next.push(drill.child);
      }
    }
    frontier = next;
  }
  if (frontier.length > 0) run.endings.push(cube.drillable || options.maxDepth === 1 ? maxDepthReached(options.maxDepth) : NO_DRILL_JSON);
}

/** The rule's next action on a path whose last step is `last`: its first branch that drills to a finding, or stop. */
export function ruleAction(run: Pick<Run, 'cube' | 't' | 'ctx'>, last: InvestigationStep): PlannerAction {
  const { branches, skipped } = branchesOf(last, run.t);
  if (branches.length === 0)
    return {
      action: 'stop',
      reason: `no segment of ${last.dimension} passed the thresholds${skipped[0] ? ` (${skipped[0].reason})` : ''}`,
    };
  let why = NO_DIMENSION;
  for (const m of branches) {
    const drill = bestDrill(run.cube, last, m, run.cube.dimensions, { ...run.ctx, chosenBy: 'deterministic' });
    if (!drill) continue;
    const problem = childProblem(drill, run.t);
    if (problem) {
      why = `${where(branchScope(last, m))} by ${drill.child.dimension}: ${problem}`;
      continue;
    }
    return {
      action: 'drill_down',
      reason: `${where(drill.child.scope)} split by ${drill.child.dimension}, the dimension with the best gain (${formatNumber(drill.gain)})`,
      groupBy: drill.child.dimension,
      filters: drill.child.scope,
    };
  }
  return { action: 'stop', reason: why };
}

/** Why a planner's action cannot be taken (null: it can). */
export function actionProblem(cube: InvestigationCube, steps: readonly InvestigationStep[], a: PlannerAction): string | null {
  if (a.action === 'stop') return steps.length === 0 ? 'the first action must be analyze_compare' : null;
  if (!cube.dimensions.includes(a.groupBy)) return `'${a.groupBy}' is not one of the dimensions (${cube.dimensions.join(', ')})`;
  if (a.action === 'analyze_compare')
    return steps.length === 0 ? null : 'analyze_compare is the first action only; later actions drill down';
  if (steps.length === 0) return 'the first action must be analyze_compare';
  if (!cube.drillable) return NO_DRILL_JSON;
  if (a.filters.length === 0) return 'drill_down needs filters (the segment to drill into)';
  const seen = new Set<string>();
  for (const f of a.filters) {
    if (!cube.dimensions.includes(f.dimension)) return `the filter on '${f.dimension}' names no dimension`;
    if (seen.has(f.dimension)) return `the filters give '${f.dimension}' twice`;
    seen.add(f.dimension);
  }
  if (seen.has(a.groupBy)) return `'${a.groupBy}' is already fixed by the filters`;
  if (leavesIn(cube, a.filters).length === 0) return `no rows have ${where(a.filters)}`;
  const key = JSON.stringify([a.groupBy, [...a.filters].sort((x, y) => (x.dimension < y.dimension ? -1 : 1))]);
  if (steps.some((s) => JSON.stringify([s.dimension, [...s.scope].sort((x, y) => (x.dimension < y.dimension ? -1 : 1))]) === key))
    return `${where(a.filters)} by ${a.groupBy} was already taken`;
  return null;
}

/** The step a drill's filters come from (its scope and dimension are the filters), and the branch mover's score there. */
function parentOf(run: Run, filters: readonly SegmentCondition[]): { step: InvestigationStep; score: number } | null {
  const last = filters[filters.length - 1]!;
  const rest = filters.slice(0, -1);
  const same = (a: readonly SegmentCondition[], b: readonly SegmentCondition[]) =>
    a.length === b.length && a.every((c) => b.some((x) => x.dimension === c.dimension && x.value === c.value));
  for (let i = run.steps.length - 1; i >= 0; i--) {
    const s = run.steps[i]!;
    if (s.dimension !== last.dimension || !same(s.scope, rest)) continue;
    const m = allMovers(run.cube, s.scope, s.dimension, run.mode, run.ctx.wholeDelta).find((x) => x.segment === last.value);
    return m ? { step: s, score: m.score } : null;
  }
  return null;
}

function stateOf(run: Run, path: readonly InvestigationStep[], depth: number): PlannerState {
  const last = path[path.length - 1];
  const used = new Set(last ? [...last.scope.map((c) => c.dimension), last.dimension] : []);
  const o = run.options;
  return {
    question: o.question,
    mode: run.mode,
    metric: run.cube.metric,
    dimensions: [...run.cube.dimensions],
    availableDimensions: run.cube.dimensions.filter((d) => !used.has(d)),
    steps: [...run.steps],
    depth,
    maxDepth: o.maxDepth,
    constraints: {
      maxBranches: o.maxBranches,
      minContribution: o.minContribution,
      minContributionUnit: scoreUnit(run.mode),
      minDeltaAbs: o.minDeltaAbs,
      minScoreImprovement: o.minScoreImprovement,
      minSliceRows: o.minSliceRows,
    },
  };
}

/** A model's investigation: one path, the planner asked once per depth. */
async function singlePath(run: Run, planner: Planner): Promise<void> {
  const { cube, options } = run;
  const top = cube.dimensions[0]!;
  const path: InvestigationStep[] = [];
  for (let depth = 0; depth < options.maxDepth; depth++) {
    const last = path[path.length - 1];
    if (last && !cube.drillable) {
      run.endings.push(NO_DRILL_JSON);
      run.trace.push({ depth, action: 'stop', reason: NO_DRILL_JSON, step: null });
      return;
    }
    const rule: PlannerAction = last
      ? ruleAction(run, last)
      : { action: 'analyze_compare', reason: `the whole table split by the top dimension ${top}`, groupBy: top };
    const decision = await planner.next(stateOf(run, path, depth), rule);
    let action = decision.action;
    let chosenBy = decision.chosenBy;
    if (decision.note) run.trace.push({ depth, action: 'fallback', reason: decision.note, step: null });
    const problem = actionProblem(cube, run.steps, action);
    if (problem) {
      run.trace.push({
        depth,
        action: 'fallback',
        reason: `the planner's ${action.action} was refused (${problem}); the rule's action was taken`,
        step: null,
      });
      action = rule;
      chosenBy = 'fallback';
    }
    const by = chosenBy === 'llm' ? 'the model' : chosenBy === 'fallback' ? "the rule (in the model's place)" : 'the rule';
    if (action.action === 'stop') {
      run.endings.push(`${by} stopped: ${action.reason}`);
      run.trace.push({ depth, action: 'stop', reason: action.reason, step: null });
      return;
    }
    let step: InvestigationStep;
    if (action.action === 'analyze_compare') {
      step = stepOf(cube, [], action.groupBy, { ...run.ctx, depth, parent: null, scoreImprovement: null, chosenBy });
    } else {
      const parent = parentOf(run, action.filters) ?? null;
      const child = stepOf(cube, action.filters, action.groupBy, {
        ...run.ctx,
        depth,
        parent: parent?.step.id ?? last?.id ?? null,
        scoreImprovement: null,
        chosenBy,
      });
      step = { ...child, score_improvement: parent && child.movers[0] ? child.movers[0].score - parent.score : null };
    }
    add(run, step);
    path.push(step);
    run.trace.push({ depth, action: action.action, reason: action.reason, step: step.id });
  }
  run.endings.push(maxDepthReached(options.maxDepth));
}
