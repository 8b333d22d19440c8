// The manager's screens (loaded only when a manager opens them): #/m/...
import type { ScreenProps } from '../app/App';
import { useLoad } from '../app/hooks';
import { officeToday } from '../lib/today';
import { t } from '../i18n';
import { go } from '../app/router';
import { Cell, Section, Skeleton } from '../app/ui';
import { CafeScreen, Cafes } from './Cafes';
import { DayOrders } from './DayOrders';
import { EmployeeEdit, Employees } from './Employees';
import { mt } from './i18n';
import { Reports } from './Reports';
import { Requests } from './Requests';

export function Screen({ route }: ScreenProps) {
  const today = useLoad(officeToday, []);
  const [, page, id] = route.path;
  if (!today.data && !today.error) return <Skeleton rows={5} />;
  switch (page) {
    case 'employees':
      return id ? <EmployeeEdit tgId={Number(id)} /> : <Employees />;
    case 'cafes':
      return id ? <CafeScreen cafeId={id} tab={route.query.get('tab') ?? 'menu'} /> : <Cafes />;
    case 'requests':
      return <Requests />;
    case 'orders':
      return <DayOrders />;
    case 'reports':
      return <Reports />;
    default:
      return (
        <>
          <h1 class="page-title">{t('manage')}</h1>
          <Section>
            <Cell title={mt('employees')} chevron onClick={() => go('m/employees')} testId="m-employees" />
            <Cell title={mt('cafes')} chevron onClick={() => go('m/cafes')} testId="m-cafes" />
            <Cell title={mt('requests')} chevron onClick={() => go('m/requests')} testId="m-requests" />
            <Cell title={mt('day_orders')} chevron onClick={() => go('m/orders')} testId="m-orders" />
            <Cell title={mt('reports')} chevron onClick={() => go('m/reports')} testId="m-reports" />
          </Section>
        </>
      );
  }
}
