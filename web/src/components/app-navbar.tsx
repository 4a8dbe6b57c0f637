import { NavLink } from '@mantine/core';
import { useWhoAmI } from '../hooks/use-who-am-i.ts';
import { hrefFor, routesFor, type TRoutePath } from '../lib/routes.ts';

interface AppNavbarProps {
  activePath: TRoutePath;
  onNavigate: () => void;
}

export function AppNavbar({ activePath, onNavigate }: AppNavbarProps) {
  const permissions = useWhoAmI().data?.permissions ?? [];
  return routesFor(permissions).map((route) => (
    <NavLink key={route.path} href={hrefFor(route.path)} label={route.label} active={route.path === activePath} onClick={onNavigate} />
  ));
}
