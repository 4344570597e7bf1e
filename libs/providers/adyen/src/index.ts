export { adyenPlugin as default, adyenPlugin } from './lib/adyen.plugin';
