/** Whether a contact asked to hear about an event: by name, by its group (`deploy.*`), or `all`. */
import type { ContactConfig, EventName } from '../config/schema.js';

export function wants(contact: Pick<ContactConfig, 'on'>, event: EventName): boolean {
  const group = `${event.split('.')[0]}.*`;
  return contact.on.some((wanted) => wanted === 'all' || wanted === event || wanted === group);
}
