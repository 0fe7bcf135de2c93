import { toErrorInfo, type ErrorInfo } from '../../../src-shared/errors';
import { useNotifications } from './notifications';

/**
 * Runs one action of a store. When it fails, its error goes to the notifications (or to
 * `showError`, for errors a view shows in place) and the result is undefined.
 */
export async function act<T>(action: () => Promise<T>, showError?: (error: ErrorInfo) => void): Promise<T | undefined> {
  try {
    return await action();
  } catch (err) {
    if (showError) showError(toErrorInfo(err));
    else useNotifications().report(err);
    return undefined;
  }
}
