import type { ScreenProps } from '../app/App';
export function Screen(_: ScreenProps) {
  return <p>audit</p>;
}
