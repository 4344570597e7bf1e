import type { CaptureEventType } from './capture-event.schemas';

/**
 * A subscription an event may go to. An event goes, in the change that writes it, to the
 * subscriptions of the capture's own client whose types include the event's type.
 */
export interface DeliveryTarget {
  subscriptionId: string;
  clientId: string;
  types: readonly CaptureEventType[];
}
