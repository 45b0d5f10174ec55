import type { ObjectId } from 'mongodb';

/** A project as stored in the `projects` collection. */
export interface Project {
  _id: ObjectId;
  name: string;
  slug: string;
  description: string;
  createdAt: Date;
}
