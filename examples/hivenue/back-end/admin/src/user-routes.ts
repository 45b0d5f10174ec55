import { HttpError, parseListLimit, toResource } from '@hivenue/shared';
import { Router } from 'express';
import { type Db, type Filter, MongoServerError, ObjectId } from 'mongodb';
import { parseNewUserRequest } from './new-user-request';
import { isRole, ROLES, type User } from './user';
import { countByRolePipeline, toUserStats } from './user-stats';

const DUPLICATE_KEY = 11000;

/** GET /users, POST /users and GET /stats on the `users` collection. */
export async function createUserRoutes(db: Db): Promise<Router> {
  const users = db.collection<User>('users');
  await users.createIndex({ email: 1 }, { unique: true });

  const routes = Router();

  routes.get('/users', async (req, res) => {
    const { role } = req.query;
    if (role !== undefined && !isRole(role)) throw new HttpError(400, `role must be one of ${ROLES.join(', ')}`);
    const limit = parseListLimit(req.query.limit, { fallback: 50, max: 200 });

    const filter: Filter<User> = role === undefined ? {} : { role };
    const found = await users.find(filter).sort({ email: 1 }).limit(limit).toArray();
    res.json(found.map(toResource));
  });

  routes.post('/users', async (req, res) => {
    const user: User = { _id: new ObjectId(), ...parseNewUserRequest(req.body), createdAt: new Date() };
    const conflict = new HttpError(409, `a user with email ${user.email} already exists`);

    // The unique index is the real guard; the lookup gives the same answer on servers that
    // do not enforce unique indexes (the in-memory stand-in used in tests).
    if (await users.findOne({ email: user.email }, { projection: { _id: 1 } })) throw conflict;
    try {
      await users.insertOne(user);
    } catch (error) {
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) throw conflict;
      throw error;
    }
    res.status(201).json(toResource(user));
  });

  routes.get('/stats', async (_req, res) => {
    const rows = await users.aggregate<{ _id: unknown; count: number }>(countByRolePipeline).toArray();
    res.json(toUserStats(rows));
  });

  return routes;
}
