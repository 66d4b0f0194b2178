import {isFormEncoded, readBodyText} from '../checks/params';
import {InvalidRequest} from '../errors';

/** Reads a JSON object body (at most 64 KiB); anything else is invalid_request. */
export async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' || isFormEncoded(request))
    throw new InvalidRequest('send a JSON body with Content-Type: application/json');
  let value: unknown;
  try {
    value = JSON.parse(await readBodyText(request));
  } catch (error) {
    if (error instanceof SyntaxError) throw new InvalidRequest('the body is not valid JSON');
    throw error;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidRequest('the body must be a JSON object');
  return value as Record<string, unknown>;
}

/** A required string field of 1..max characters. */
export function stringField(body: Record<string, unknown>, name: string, max = 200): string {
  const value = body[name];
  if (typeof value !== 'string' || value.trim() === '' || value.length > max) {
    throw new InvalidRequest(`${name} must be a non-empty string of at most ${max} characters`);
  }
  return value.trim();
}
