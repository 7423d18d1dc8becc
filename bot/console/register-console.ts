// Everything the web console adds to the server: its static files under /console/ (and, as they
// land, sign-in sessions and the console's staff API).
import type { Server } from 'restify';
import { registerConsoleStaticRoutes } from './static-files';

export interface ConsoleDeps {
  /** Where the console's static files are (default web/console). */
  root?: string;
}

export function registerConsole(server: Server, deps: ConsoleDeps = {}): void {
  registerConsoleStaticRoutes(server, { root: deps.root });
}
