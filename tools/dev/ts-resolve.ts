import { registerHooks } from 'node:module';

// The client library is written as ESM (`./lib/x.js` names the compiled file), while `npm start`
// runs TypeScript sources through @swc-node/register as CommonJS, which looks for the `.js` file
// literally. Resolving a relative `.js` import from a `.ts` file to its `.ts` source, as TypeScript
// itself does, lets the event sink use the client's own verifier rather than a copy of it.
registerHooks({
  resolve(specifier, context, nextResolve) {
    const fromTs = context.parentURL?.endsWith('.ts') ?? false;
    if (fromTs && specifier.startsWith('.') && specifier.endsWith('.js')) {
      try {
        return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
      } catch {
        // Not a TypeScript source: resolve the name as written.
      }
    }
    return nextResolve(specifier, context);
  },
});
