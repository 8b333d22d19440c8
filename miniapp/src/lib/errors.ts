// The API's error codes as sentences a person understands.
import { t, tMaybe } from '../i18n';
import { ApiError } from './api';
import { clock } from './format';

export type ErrorContext = { cafe?: string; timezone?: string };

export function explain(error: unknown, context: ErrorContext = {}, now = new Date()): string {
  if (!(error instanceof ApiError)) return t('err_generic');
  if (error.code === 'ordering_closed') {
    const deadline = typeof error.details.deadline === 'string' ? error.details.deadline : null;
    if (deadline && context.cafe && Date.parse(deadline) <= now.getTime()) {
      return t('err_ordering_closed', {
        cafe: context.cafe,
        time: clock(deadline, context.timezone ?? 'Europe/Moscow'),
      });
    }
    return t('err_ordering_closed_plain');
  }
  return tMaybe(`err_${error.code}`) ?? (error.status >= 500 ? t('err_generic') : error.message || t('err_generic'));
}
