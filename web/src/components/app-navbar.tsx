import { NavLink } from '@mantine/core';
import { hrefFor, ROUTES, type TRoutePath } from '../lib/routes.ts';

interface AppNavbarProps {
  activePath: TRoutePath;
  onNavigate: () => void;
}

export function AppNavbar({ activePath, onNavigate }: AppNavbarProps) {
  return ROUTES.map((route) => (
    <NavLink key={route.path} href={hrefFor(route.path)} label={route.label} active={route.path === activePath} onClick={onNavigate} />
  ));
}
