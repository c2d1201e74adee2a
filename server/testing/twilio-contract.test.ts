import { describe, expect, it } from 'vitest';
import { twilioContractViolations } from './twilio-contract.js';
import type { RecordedRequest } from '../../simulator/twilio-fake/index.js';

const account = `/2010-04-01/Accounts/AC${'0'.repeat(32)}`;
const request = (method: string, path: string, form = {}, query = {}): RecordedRequest => ({
  method,
  path,
  form,
  query,
  headers: {},
});

describe("Twilio's REST description as a contract", () => {
  it('accepts a documented request with its required parameters', () => {
    expect(
      twilioContractViolations(
        request('POST', `${account}/Conferences/interaction-7/Participants.json`, {
          From: '+15550001111',
          To: 'sip:agent7@agents.example.com',
          EndConferenceOnExit: 'true',
        }),
      ),
    ).toEqual([]);
    expect(
      twilioContractViolations(
        request(
          'GET',
          `${account}/Conferences.json`,
          {},
          { FriendlyName: 'interaction-7', Status: 'in-progress' },
        ),
      ),
    ).toEqual([]);
  });

  it('names unknown paths, methods and parameters, and missing required ones', () => {
    expect(twilioContractViolations(request('POST', `${account}/Queues/QU1/Teleport.json`))).toEqual([
      `POST ${account}/Queues/QU1/Teleport.json: no such path in Twilio's API`,
    ]);
    expect(twilioContractViolations(request('DELETE', `${account}/Conferences.json`))).toEqual([
      `DELETE ${account}/Conferences.json: /2010-04-01/Accounts/{AccountSid}/Conferences.json has no DELETE`,
    ]);
    const path = `${account}/Conferences/CF1/Participants.json`;
    expect(twilioContractViolations(request('POST', path, { To: 'sip:a@b', Whisper: 'true' }))).toEqual([
      `POST ${path}: unknown parameter Whisper`,
      `POST ${path}: missing required parameter From`,
    ]);
    expect(twilioContractViolations(request('GET', `${account}/Calls.json`, {}, { Colour: 'blue' }))).toEqual(
      [`GET ${account}/Calls.json: unknown query parameter Colour`],
    );
  });
});
