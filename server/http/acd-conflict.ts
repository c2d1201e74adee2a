import { AcdError } from '../../queues/index.js';
import { conflict } from './errors.js';

/**
 * Runs an ACD step for a person's request: the ACD's refusals (an expired offer, a call no longer
 * waiting, a status change the machines forbid) become 409s with the ACD's own words.
 */
export async function acdStep<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AcdError) throw conflict(error.message);
    throw error;
  }
}
