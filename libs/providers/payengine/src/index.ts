export { payEnginePlugin as default, payEnginePlugin } from './lib/payengine.plugin';
