import { Badge, NavLink } from '@mantine/core';
import { useFiringRuleCount } from '../hooks/use-alerts.ts';
import { useWhoAmI } from '../hooks/use-who-am-i.ts';
import { formatCount } from '../lib/format.ts';
import { hrefFor, routesFor, type TRoutePath } from '../lib/routes.ts';

interface AppNavbarProps {
  activePath: TRoutePath;
  onNavigate: () => void;
}

export function AppNavbar({ activePath, onNavigate }: AppNavbarProps) {
  const permissions = useWhoAmI().data?.permissions ?? [];
  const firing = useFiringRuleCount();
  return routesFor(permissions).map((route) => (
    <NavLink
      key={route.path}
      href={hrefFor(route.path)}
      label={route.label}
      active={route.path === activePath}
      onClick={onNavigate}
      rightSection={
        route.path === 'alerts' && firing > 0 ? (
          <Badge color="red" size="sm" circle={firing < 10} title={`${formatCount(firing)} firing`} data-testid="nav-firing-count">
            {formatCount(firing)}
          </Badge>
        ) : undefined
      }
    />
  ));
}
