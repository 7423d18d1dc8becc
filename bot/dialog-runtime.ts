// botbuilder-dialogs rebuilds its memory-scope registry on every dialog context (a dependency graph of
// services, then every memory scope and path resolver anew, each turn several times over: about a
// fifth of a millisecond per turn). The registry is the same for every turn — memory scopes read their
// data from the dialog context they are given — so it is built once here:
//  - `shareDialogsRegistration()` (once, at start-up) makes the package's DialogsComponentRegistration
//    construct to one shared instance (DialogStateManager constructs one per dialog context);
//  - `useSharedDialogStateConfiguration(context)` (each turn) hands DialogStateManager the
//    configuration built once, which it would otherwise build on the turn's first dialog context.
// The Bot Framework SDK is archived (docs/decisions.md), so this will not change under us; if the
// package's layout is not as expected, nothing is patched and the SDK does its own work.
import { createRequire } from 'node:module';
import type { TurnContext } from 'botbuilder';
import type { DialogStateManagerConfiguration } from 'botbuilder-dialogs';

const require = createRequire(import.meta.url);
const CONFIGURATION_KEY = 'DialogStateManagerConfiguration'; // botbuilder-dialogs/lib/memory/dialogStateManager.js

interface Registration {
  getMemoryScopes(): DialogStateManagerConfiguration['memoryScopes'];
  getPathResolvers(): DialogStateManagerConfiguration['pathResolvers'];
}

let configuration: DialogStateManagerConfiguration | null = null;

export function shareDialogsRegistration(): void {
  if (configuration) return;
  try {
    const module = require('botbuilder-dialogs/lib/dialogsComponentRegistration.js') as { DialogsComponentRegistration: new () => Registration };
    const Original = module.DialogsComponentRegistration;
    const shared = new Original();
    const Shared = function DialogsComponentRegistration() {
      return shared;
    } as unknown as new () => Registration;
    Shared.prototype = Original.prototype;
    module.DialogsComponentRegistration = Shared;
    configuration = { memoryScopes: shared.getMemoryScopes(), pathResolvers: shared.getPathResolvers() };
  } catch {
    configuration = null; // the SDK builds its own
  }
}

export function useSharedDialogStateConfiguration(context: TurnContext): void {
  if (configuration && !context.turnState.get(CONFIGURATION_KEY)) context.turnState.set(CONFIGURATION_KEY, configuration);
}
