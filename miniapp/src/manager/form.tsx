// Form cells for the manager screens: labelled inputs, toggles, selects, money in roubles.
import type { ComponentChildren } from 'preact';

export function Field(props: { label: string; children: ComponentChildren; hint?: string }) {
  return (
    <label class="cell field">
      <span class="cell-main">
        <span class="cell-subtitle">{props.label}</span>
        {props.children}
        {props.hint && <span class="cell-subtitle small">{props.hint}</span>}
      </span>
    </label>
  );
}

export function TextInput(props: {
  value: string;
  onInput: (v: string) => void;
  placeholder?: string;
  testId?: string;
  type?: string;
}) {
  return (
    <input
      class="input"
      type={props.type ?? 'text'}
      value={props.value}
      placeholder={props.placeholder}
      data-testid={props.testId}
      onInput={(e) => props.onInput(e.currentTarget.value)}
    />
  );
}

export function Toggle(props: { label: string; on: boolean; onChange: (on: boolean) => void; testId?: string }) {
  return (
    <label class="cell">
      <span class="cell-main">
        <span class="cell-title">{props.label}</span>
      </span>
      <input
        type="checkbox"
        class="switch"
        checked={props.on}
        data-testid={props.testId}
        onChange={(e) => props.onChange(e.currentTarget.checked)}
      />
    </label>
  );
}

export function Select(props: {
  value: string;
  options: { value: string; label: string }[];
  onChange: (v: string) => void;
  testId?: string;
}) {
  return (
    <select
      class="input select"
      value={props.value}
      data-testid={props.testId}
      onChange={(e) => props.onChange(e.currentTarget.value)}
    >
      {props.options.map((o) => (
        <option value={o.value} key={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

/** Roubles typed by a person ("450", "450,50") → kopecks; null when not a number. */
export function toMinor(text: string): number | null {
  const value = Number(text.replace(',', '.').replace(/\s/g, ''));
  return text.trim() === '' || !Number.isFinite(value) || value < 0 ? null : Math.round(value * 100);
}

export function fromMinor(minor: number | null | undefined): string {
  if (minor === null || minor === undefined) return '';
  return minor % 100 === 0 ? String(minor / 100) : (minor / 100).toFixed(2);
}
