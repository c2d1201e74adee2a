-- What an external voice bot handed over with the caller (issue 16): the HandoffContext JSON
-- (contracts/handoff.ts) and where it came from, as {"source": "twilio"|"sip", "context": {…}}.
-- NULL: the call did not come from a bot. Personal data (collected fields, a transcript) lives here.
ALTER TABLE interactions ADD COLUMN handoff_context TEXT;
