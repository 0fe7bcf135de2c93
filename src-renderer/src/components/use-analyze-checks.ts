import { ref, watch, type Ref } from 'vue';
import type { MatchCounts, MatchCountsRequest } from '../../../src-shared/contract';
import { api } from '../api/client';
import { useDateRange } from './use-date-range';

/**
 * What the analyze form checks before a run, asked of the scan engine as the form changes: the
 * chosen date column's first and last day (the windows anchor on the last), and how many rows
 * the filters and the period windows keep (so an empty one shows before anything runs).
 */
export function useAnalyzeChecks(
  datasetId: () => string,
  dateColumn: () => string | null,
  request: () => Omit<MatchCountsRequest, 'id'> | null,
) {
  const counts = ref<MatchCounts | null>(null) as Ref<MatchCounts | null>;
  /** The request the counts answer (JSON), so stale counts are never shown for another form. */
  const countsFor = ref('');
  const checking = ref(false);
  const error = ref<string | null>(null);

  const dates = useDateRange(datasetId, dateColumn);
  const range = dates.range;
  watch(dates.error, (e) => (error.value = e));

  let countsAsked = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  watch(
    () => JSON.stringify(request()),
    (key) => {
      clearTimeout(timer);
      const wanted = request();
      if (!wanted || (wanted.where.length === 0 && !wanted.period)) {
        counts.value = null;
        countsFor.value = key;
        return;
      }
      checking.value = true;
      timer = setTimeout(async () => {
        const mine = ++countsAsked;
        try {
          const found = await api.call('datasets.matchCount', { id: datasetId(), ...wanted });
          if (mine !== countsAsked) return;
          counts.value = found;
          countsFor.value = key;
          error.value = null;
        } catch (err) {
          if (mine === countsAsked) error.value = (err as Error).message;
        } finally {
          if (mine === countsAsked) checking.value = false;
        }
      }, 250);
    },
    { immediate: true },
  );

  /** The counts, when they answer the form as it is now. */
  const current = () => (countsFor.value === JSON.stringify(request()) ? counts.value : null);
  return { range, current, checking, error };
}
