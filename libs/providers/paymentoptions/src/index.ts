export { paymentOptionsPlugin as default, paymentOptionsPlugin } from './lib/paymentoptions.plugin';
