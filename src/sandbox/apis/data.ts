/** Demo data the two APIs return, per subject (a user's `sub`, or a client's id for client_credentials). */

export interface CalendarEvent {
  id: string;
  title: string;
  start: string;
}

export interface Person {
  id: string;
  name: string;
  email: string;
}

const EVENTS: Record<string, CalendarEvent[]> = {
  'user-alice': [
    {id: 'evt-tea', title: 'Mad tea party', start: '2030-05-04T16:00:00Z'},
    {id: 'evt-croquet', title: 'Croquet with the Queen', start: '2030-05-05T10:00:00Z'},
  ],
  'user-bob': [
    {id: 'evt-site', title: 'Site visit: Sunflower Valley', start: '2030-05-04T08:30:00Z'},
    {id: 'evt-crane', title: 'Crane inspection', start: '2030-05-06T13:00:00Z'},
  ],
};
const SHARED_EVENTS: CalendarEvent[] = [{id: 'evt-sync', title: 'Nightly sync window', start: '2030-05-04T02:00:00Z'}];

const PEOPLE: Record<string, Person[]> = {
  'user-alice': [
    {id: 'p-hatter', name: 'The Hatter', email: 'hatter@example.com'},
    {id: 'p-rabbit', name: 'White Rabbit', email: 'rabbit@example.com'},
  ],
  'user-bob': [
    {id: 'p-wendy', name: 'Wendy', email: 'wendy@example.com'},
    {id: 'p-scoop', name: 'Scoop', email: 'scoop@example.com'},
  ],
};
const SHARED_PEOPLE: Person[] = [{id: 'p-support', name: 'Acme Support', email: 'support@example.com'}];

export function seedEvents(sub: string): CalendarEvent[] {
  return EVENTS[sub] ?? SHARED_EVENTS;
}

export function seedPeople(sub: string): Person[] {
  return PEOPLE[sub] ?? SHARED_PEOPLE;
}
