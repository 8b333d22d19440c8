// The days a cafe serves and the time its orders close, in its time zone.
import { useState } from 'preact/hooks';
import { currentLang } from '../i18n';
import { call } from '../lib/api';
import { explain } from '../lib/errors';
import type { Cafe } from '../lib/types';
import { haptic } from '../telegram';
import { useMainButton } from '../app/hooks';
import { Banner, Section } from '../app/ui';
import { Field, TextInput } from './form';
import { mt } from './i18n';

function weekdayNames(): string[] {
  // 2024-01-01 was a Monday; the API counts 0 = Monday.
  const format = new Intl.DateTimeFormat(currentLang() === 'en' ? 'en-GB' : 'ru-RU', {
    weekday: 'short',
    timeZone: 'UTC',
  });
  return Array.from({ length: 7 }, (_, i) => format.format(new Date(Date.UTC(2024, 0, 1 + i))));
}

export function ScheduleEditor({ cafe, onSaved }: { cafe: Cafe; onSaved: () => void }) {
  const [days, setDays] = useState<number[]>(cafe.weekdays ?? []);
  const [cutoff, setCutoff] = useState(cafe.cutoff ?? '11:00');
  const [zone, setZone] = useState(cafe.timezone);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; error?: unknown } | null>(null);
  const valid = /^([01]\d|2[0-3]):[0-5]\d$/.test(cutoff) && zone.trim() !== '';
  const save = async () => {
    setBusy(true);
    try {
      await call('PUT', `/cafes/${cafe.id}/schedule`, { weekdays: [...days].sort(), cutoff, timezone: zone.trim() });
      haptic.success();
      setResult({ ok: true });
      onSaved();
    } catch (error) {
      haptic.error();
      setResult({ ok: false, error });
    } finally {
      setBusy(false);
    }
  };
  useMainButton({ text: mt('save'), enabled: valid && !busy, progress: busy, onClick: () => void save() });
  const names = weekdayNames();
  return (
    <>
      {result?.ok && <Banner tone="success">{mt('saved')}</Banner>}
      {result && !result.ok && <Banner tone="error">{explain(result.error)}</Banner>}
      <Section title={mt('weekdays')}>
        <div class="cell chips" data-testid="weekdays">
          {names.map((name, i) => (
            <button
              key={i}
              class={days.includes(i) ? 'chip on' : 'chip'}
              onClick={() => setDays(days.includes(i) ? days.filter((d) => d !== i) : [...days, i])}
            >
              {name}
            </button>
          ))}
        </div>
      </Section>
      <Section>
        <Field label={mt('cutoff')}>
          <TextInput type="time" value={cutoff} onInput={setCutoff} testId="cutoff" />
        </Field>
        <Field label={mt('timezone')}>
          <TextInput value={zone} onInput={setZone} />
        </Field>
      </Section>
    </>
  );
}
