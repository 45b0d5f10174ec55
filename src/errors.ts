/**
 * The two kinds of failure waggle reports, each with its exit status: bad input (a usage mistake,
 * a bad waggle.yml, a variable that is not set: exit 2) and a failed operation (a command that
 * failed, a path that leads outside, a service that would not start: exit 1). Every error class
 * extends one of them; the CLI's one handler prints their message as one line. Anything else that
 * reaches the top is an internal error.
 */
export abstract class WaggleError extends Error {
  abstract readonly exitStatus: 1 | 2;
}

/** The input was wrong: the user can fix it and try again. */
export class BadInputError extends WaggleError {
  readonly exitStatus = 2;
}

/** An operation failed for a reason outside waggle: a command, a path, a service. */
export class FailedOperationError extends WaggleError {
  readonly exitStatus = 1;
}
