// Telegram's list grammar: sections of cells, with badges, chips, steppers and skeletons.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t, tMaybe } from '../i18n';
import { inTelegram, type MainButtonState } from '../telegram';
import { onFallbackMain } from './hooks';
import { back } from './router';

export function Section(props: {
  title?: string;
  footer?: ComponentChildren;
  children: ComponentChildren;
  id?: string;
}) {
  return (
    <section class="section" id={props.id}>
      {props.title && <h2 class="section-title">{props.title}</h2>}
      <div class="section-body">{props.children}</div>
      {props.footer && <p class="section-footer">{props.footer}</p>}
    </section>
  );
}

type CellProps = {
  title: ComponentChildren;
  subtitle?: ComponentChildren;
  after?: ComponentChildren;
  before?: ComponentChildren;
  onClick?: () => void;
  chevron?: boolean;
  selected?: boolean;
  disabled?: boolean;
  tone?: 'danger' | 'accent';
  testId?: string;
};

export function Cell(p: CellProps) {
  const Tag = p.onClick ? 'button' : 'div';
  const cls = ['cell', p.selected ? 'selected' : '', p.disabled ? 'disabled' : '', p.tone ?? ''].join(' ');
  return (
    <Tag class={cls} onClick={p.disabled ? undefined : p.onClick} data-testid={p.testId} aria-pressed={p.selected}>
      {p.before !== undefined && <span class="cell-before">{p.before}</span>}
      <span class="cell-main">
        <span class="cell-title">{p.title}</span>
        {p.subtitle && <span class="cell-subtitle">{p.subtitle}</span>}
      </span>
      {p.after !== undefined && <span class="cell-after">{p.after}</span>}
      {p.chevron && <span class="chevron" aria-hidden="true" />}
    </Tag>
  );
}

export function Radio(props: { on: boolean }) {
  return <span class={props.on ? 'radio on' : 'radio'} aria-hidden="true" />;
}

export function Tags(props: { tags?: string[] }) {
  if (!props.tags?.length) return null;
  return (
    <span class="tags">
      {props.tags.map((tag) => (
        <span class={`tag tag-${tag}`} key={tag}>
          {tMaybe(`tag_${tag}`) ?? tag.replace(/_/g, ' ')}
        </span>
      ))}
    </span>
  );
}

export function Chips<T extends string>(props: {
  options: { value: T; label: string }[];
  value: T;
  onChange: (v: T) => void;
  testId?: string;
}) {
  return (
    <div class="chips" role="tablist" data-testid={props.testId}>
      {props.options.map((o) => (
        <button
          key={o.value}
          role="tab"
          class={o.value === props.value ? 'chip on' : 'chip'}
          aria-selected={o.value === props.value}
          onClick={() => props.onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}

export function Stepper(props: {
  value: number;
  min?: number;
  max: number;
  onChange: (n: number) => void;
  label: string;
}) {
  const min = props.min ?? 0;
  return (
    <span class="stepper" aria-label={props.label}>
      <button aria-label="−" disabled={props.value <= min} onClick={() => props.onChange(props.value - 1)}>
        −
      </button>
      <span class="stepper-value">{props.value}</span>
      <button aria-label="+" disabled={props.value >= props.max} onClick={() => props.onChange(props.value + 1)}>
        +
      </button>
    </span>
  );
}

export function Skeleton(props: { rows?: number }) {
  return (
    <div class="section-body" aria-busy="true" aria-label={t('loading')}>
      {Array.from({ length: props.rows ?? 3 }, (_, i) => (
        <div class="cell skeleton" key={i}>
          <span class="cell-main">
            <span class="bar w60" />
            <span class="bar w40" />
          </span>
        </div>
      ))}
    </div>
  );
}

export function Banner(props: {
  tone?: 'error' | 'info' | 'success';
  children: ComponentChildren;
  action?: { label: string; onClick: () => void };
}) {
  return (
    <div class={`banner ${props.tone ?? 'info'}`} role={props.tone === 'error' ? 'alert' : 'status'}>
      <span>{props.children}</span>
      {props.action && (
        <button class="link" onClick={props.action.onClick}>
          {props.action.label}
        </button>
      )}
    </div>
  );
}

export function Empty(props: { children: ComponentChildren }) {
  return <p class="empty">{props.children}</p>;
}

/** Outside Telegram: the MainButton and BackButton drawn by the page itself. */
export function FallbackButtons(props: { canGoBack: boolean }) {
  const [main, setMain] = useState<MainButtonState | null>(null);
  useEffect(() => onFallbackMain(setMain), []);
  if (inTelegram) return null;
  return (
    <>
      {props.canGoBack && (
        <button class="fallback-back" onClick={back}>
          ‹ {t('back')}
        </button>
      )}
      {main && (
        <div class="fallback-main">
          <button class="main-button" disabled={!main.enabled || main.progress} onClick={main.onClick}>
            {main.progress ? t('loading') : main.text}
          </button>
        </div>
      )}
    </>
  );
}
