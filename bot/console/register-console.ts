// Everything the web console adds to the server: its static files under /console/, sign-in
// sessions, and the console's staff API.
import type { Server } from 'restify';
import type { StaffApiContext } from '../staff-api';
import type { SignInSettings } from '../../services/staff/sign-in';
import { registerConsoleStaticRoutes } from './static-files';
import { registerSessionRoutes } from './session-routes';
import { registerConsoleRoutes, type ConsoleRoutesDeps } from './console-routes';
import type { CookieSecurity } from './session-auth';

export interface ConsoleDeps extends StaffApiContext {
  intake: ConsoleRoutesDeps['intake'];
  signIn: SignInSettings;
  cookies: CookieSecurity;
  /** Where the console's static files are (default web/console). */
  root?: string;
}

export function registerConsole(server: Server, deps: ConsoleDeps): void {
  registerConsoleStaticRoutes(server, { root: deps.root });
  registerSessionRoutes(server, deps);
  registerConsoleRoutes(server, deps);
}
