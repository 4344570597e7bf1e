export { stripePlugin as default, stripePlugin } from './lib/stripe.plugin';
