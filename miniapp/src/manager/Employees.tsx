// The directory: search, CSV upload with each bad line explained, and editing one person.
import { useState } from 'preact/hooks';
import { t } from '../i18n';
import { call, get } from '../lib/api';
import { explain } from '../lib/errors';
import { money } from '../lib/format';
import { haptic } from '../telegram';
import { useLoad, useMainButton } from '../app/hooks';
import { back, go } from '../app/router';
import { Banner, Cell, Empty, Section, Skeleton } from '../app/ui';
import { Field, Select, TextInput, Toggle, fromMinor, toMinor } from './form';
import { mt } from './i18n';

type Employee = {
  tg_id: number;
  name: string;
  office: string;
  role: string;
  active: boolean;
  monthly_limit: number | null;
};
type Imported = { added: number; updated: number; errors: { line: number; reason: string }[] };

export function Employees() {
  const list = useLoad(() => get<Employee[]>('/employees'), []);
  const [query, setQuery] = useState('');
  const [result, setResult] = useState<Imported | null>(null);
  const [error, setError] = useState<unknown>(null);
  const upload = async (file: File) => {
    setError(null);
    try {
      setResult(await call<Imported>('POST', '/employees/import', undefined, await file.text()));
      haptic.success();
      list.reload();
    } catch (e) {
      haptic.error();
      setError(e);
    }
  };
  const q = query.trim().toLowerCase();
  const shown = (list.data ?? []).filter((e) => !q || `${e.name} ${e.tg_id} ${e.office}`.toLowerCase().includes(q));
  return (
    <>
      <h1 class="page-title">{mt('employees')}</h1>
      <Section footer={mt('import_hint')}>
        <label class="cell accent">
          <span class="cell-main">
            <span class="cell-title">{mt('import_csv')}</span>
          </span>
          <input
            type="file"
            accept=".csv,text/csv"
            class="file"
            data-testid="csv-upload"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              if (file) void upload(file);
              e.currentTarget.value = '';
            }}
          />
        </label>
      </Section>
      {error !== null && <Banner tone="error">{explain(error)}</Banner>}
      {result && (
        <div data-testid="import-result">
          <Banner tone={result.errors.length ? 'info' : 'success'}>
            {mt('import_result', { added: result.added, updated: result.updated })}
          </Banner>
          {result.errors.length > 0 && (
            <Section>
              {result.errors.map((e) => (
                <Cell
                  key={e.line}
                  tone="danger"
                  title={mt('import_line', { line: e.line, reason: e.reason })}
                  testId="import-error"
                />
              ))}
            </Section>
          )}
        </div>
      )}
      <div class="search">
        <input
          class="input search-input"
          type="search"
          placeholder={mt('search')}
          value={query}
          onInput={(e) => setQuery(e.currentTarget.value)}
          data-testid="employee-search"
        />
      </div>
      {list.error ? (
        <Banner tone="error">{explain(list.error)}</Banner>
      ) : !list.data ? (
        <Skeleton rows={6} />
      ) : shown.length === 0 ? (
        <Empty>{mt('no_employees')}</Empty>
      ) : (
        <Section>
          {shown.map((e) => (
            <Cell
              key={e.tg_id}
              testId="employee"
              title={e.name}
              subtitle={`${e.tg_id} · ${e.office} · ${t(`role_${e.role}` as 'role_employee')}${e.active ? '' : ` · ${mt('inactive')}`}`}
              after={e.monthly_limit === null ? mt('no_limit') : money(e.monthly_limit)}
              chevron
              onClick={() => go(`m/employees/${e.tg_id}`)}
            />
          ))}
        </Section>
      )}
    </>
  );
}

export function EmployeeEdit(props: { tgId: number }) {
  const list = useLoad(() => get<Employee[]>('/employees'), []);
  const found = list.data?.find((e) => e.tg_id === props.tgId);
  if (list.error) return <Banner tone="error">{explain(list.error)}</Banner>;
  if (!list.data) return <Skeleton rows={5} />;
  if (!found) return <Banner tone="error">{t('err_not_found')}</Banner>;
  return <EmployeeForm employee={found} />;
}

function EmployeeForm({ employee }: { employee: Employee }) {
  const [draft, setDraft] = useState({ ...employee, limit: fromMinor(employee.monthly_limit) });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const limit = toMinor(draft.limit);
  const valid = draft.office.trim() !== '' && (draft.limit.trim() === '' || limit !== null);
  const save = async () => {
    setBusy(true);
    try {
      await call('PATCH', `/employees/${employee.tg_id}`, {
        role: draft.role,
        office: draft.office.trim(),
        active: draft.active,
        monthly_limit: draft.limit.trim() === '' ? null : limit,
      });
      haptic.success();
      back();
    } catch (e) {
      haptic.error();
      setError(e);
      setBusy(false);
    }
  };
  useMainButton({ text: mt('save'), enabled: valid && !busy, progress: busy, onClick: () => void save() });
  return (
    <>
      <h1 class="page-title">{employee.name}</h1>
      <p class="page-subtitle">{employee.tg_id}</p>
      {error !== null && <Banner tone="error">{explain(error)}</Banner>}
      <Section>
        <Field label={mt('role')}>
          <Select
            value={draft.role}
            testId="employee-role"
            onChange={(role) => setDraft({ ...draft, role })}
            options={['employee', 'manager', 'auditor'].map((r) => ({
              value: r,
              label: t(`role_${r}` as 'role_employee'),
            }))}
          />
        </Field>
        <Field label={mt('office')}>
          <TextInput
            value={draft.office}
            onInput={(office) => setDraft({ ...draft, office })}
            testId="employee-office"
          />
        </Field>
        <Field label={mt('limit')} hint={mt('limit_hint')}>
          <TextInput
            value={draft.limit}
            onInput={(l) => setDraft({ ...draft, limit: l })}
            testId="employee-limit"
            type="text"
          />
        </Field>
        <Toggle
          label={mt('active')}
          on={draft.active}
          onChange={(active) => setDraft({ ...draft, active })}
          testId="employee-active"
        />
      </Section>
    </>
  );
}
