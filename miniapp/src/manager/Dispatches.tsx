// What a cafe was sent for a day, and sending it again.
import { useState } from 'preact/hooks';
import { ApiError, call, get } from '../lib/api';
import { explain } from '../lib/errors';
import { clock } from '../lib/format';
import type { Cafe } from '../lib/types';
import { haptic } from '../telegram';
import { useLoad } from '../app/hooks';
import { Banner, Cell, Empty, Section, Skeleton } from '../app/ui';
import { Field, TextInput } from './form';
import { mt, mtMaybe } from './i18n';

type Dispatch = {
  date: string;
  status: string;
  sent_at: string;
  acknowledged_at: string | null;
  text: string;
  error: string | null;
};

export function Dispatches({ cafe }: { cafe: Cafe }) {
  const [date, setDate] = useState(cafe.date ?? '');
  const list = useLoad(() => get<Dispatch[]>(`/cafes/${cafe.id}/dispatches?date=${date}`), [cafe.id, date]);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const resend = async (d: Dispatch) => {
    try {
      await call('POST', `/cafes/${cafe.id}/dispatches/${d.date}/resend`);
      haptic.success();
      setNote({ ok: true, text: mt('resent') });
      list.reload();
    } catch (e) {
      haptic.error();
      const missing = e instanceof ApiError && (e.status === 404 || e.status === 405);
      setNote({ ok: false, text: missing ? mt('resend_unavailable') : explain(e) });
    }
  };
  return (
    <>
      <Section>
        <Field label={mt('date')}>
          <TextInput type="date" value={date} onInput={setDate} />
        </Field>
      </Section>
      {note && <Banner tone={note.ok ? 'success' : 'error'}>{note.text}</Banner>}
      {list.error ? (
        <Banner tone="error">{explain(list.error)}</Banner>
      ) : !list.data ? (
        <Skeleton rows={2} />
      ) : list.data.length === 0 ? (
        <Empty>{mt('no_dispatches')}</Empty>
      ) : (
        list.data.map((d, i) => (
          <Section key={i}>
            <Cell
              testId="dispatch"
              title={mtMaybe(`status_${d.status}`) ?? d.status}
              subtitle={d.error ?? clock(d.sent_at, cafe.timezone)}
              after={
                <button class="button small tonal" onClick={() => void resend(d)}>
                  {mt('resend')}
                </button>
              }
            />
            <pre class="dispatch-text">{d.text.replace(/<[^>]+>/g, '')}</pre>
          </Section>
        ))
      )}
    </>
  );
}
