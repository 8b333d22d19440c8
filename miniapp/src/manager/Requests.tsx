// Chats asking to be a cafe's: approve with the cafe they are, or reject.
import { useState } from 'preact/hooks';
import { call, get } from '../lib/api';
import { explain } from '../lib/errors';
import { day } from '../lib/format';
import type { Cafe } from '../lib/types';
import { haptic } from '../telegram';
import { useLoad } from '../app/hooks';
import { Banner, Chips, Empty, Section, Skeleton } from '../app/ui';
import { Field, Select, TextInput } from './form';
import { mt } from './i18n';

type Request = {
  id: string;
  chat_id: number;
  chat_title: string;
  requested_by: number;
  requested_at: string;
  status: string;
  cafe_id: string | null;
  reason?: string | null;
};
type Status = 'pending' | 'approved' | 'rejected';

export function Requests() {
  const [status, setStatus] = useState<Status>('pending');
  const list = useLoad(() => get<Request[]>(`/cafe-requests?status=${status}`), [status]);
  const cafes = useLoad(() => get<Cafe[]>('/cafes'), []);
  return (
    <>
      <h1 class="page-title">{mt('requests')}</h1>
      <div class="day-chips">
        <Chips<Status>
          value={status}
          onChange={setStatus}
          options={(['pending', 'approved', 'rejected'] as const).map((s) => ({ value: s, label: mt(s) }))}
        />
      </div>
      {list.error ? (
        <Banner tone="error">{explain(list.error)}</Banner>
      ) : !list.data ? (
        <Skeleton rows={3} />
      ) : list.data.length === 0 ? (
        <Empty>{mt('no_requests')}</Empty>
      ) : (
        list.data.map((r) => <RequestCard key={r.id} request={r} cafes={cafes.data ?? []} onDone={list.reload} />)
      )}
    </>
  );
}

function RequestCard({ request, cafes, onDone }: { request: Request; cafes: Cafe[]; onDone: () => void }) {
  const [picked, setCafeId] = useState(request.cafe_id ?? '');
  // The cafe list may arrive after the card: until picked, the first cafe is the choice.
  const cafeId = picked || cafes[0]?.id || '';
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const decide = async (path: string, body: unknown) => {
    setBusy(true);
    try {
      await call('POST', `/cafe-requests/${request.id}/${path}`, body);
      haptic.success();
      onDone();
    } catch (e) {
      haptic.error();
      setError(e);
      setBusy(false);
    }
  };
  const cafeName = cafes.find((c) => c.id === request.cafe_id)?.name;
  return (
    <Section>
      <div class="cell" data-testid="link-request">
        <span class="cell-main">
          <span class="cell-title">{request.chat_title || String(request.chat_id)}</span>
          <span class="cell-subtitle">
            {day(request.requested_at.slice(0, 10))} · {request.requested_by}
            {cafeName ? ` · ${cafeName}` : ''}
            {request.reason ? ` · ${request.reason}` : ''}
          </span>
        </span>
      </div>
      {error !== null && <Banner tone="error">{explain(error)}</Banner>}
      {request.status === 'pending' && (
        <>
          <Field label={mt('pick_cafe')}>
            <Select
              value={cafeId}
              onChange={setCafeId}
              testId="request-cafe"
              options={cafes.map((c) => ({ value: c.id, label: c.name }))}
            />
          </Field>
          <Field label={mt('reject_reason')}>
            <TextInput value={reason} onInput={setReason} />
          </Field>
          <div class="cell actions">
            <button
              class="button small"
              disabled={!cafeId || busy}
              onClick={() => void decide('approve', { cafe_id: cafeId })}
              data-testid="approve"
            >
              {mt('approve')}
            </button>
            <button
              class="button small tonal danger"
              disabled={busy}
              onClick={() => void decide('reject', { reason: reason.trim() })}
            >
              {mt('reject')}
            </button>
          </div>
        </>
      )}
    </Section>
  );
}
