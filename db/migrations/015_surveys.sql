-- Post-call satisfaction: at most one survey per interaction, written by the survey's own webhooks
-- after the agent hung up, so it never touches the interaction's state machine. status:
--   not_offered  the survey was not played (queue has it off, SIP has no media server for it,
--                the caller was already gone); not_offered_reason says which
--   offered      the first question is playing
--   completed    every question answered
--   partial      some answered, then no answer or a hang-up
--   no_answer    nothing valid after the retry
--   hung_up      the caller left before answering anything
-- customer_id, queue_id, agent_id are copied from the interaction so reports and the customer's
-- last score are one index range each.
CREATE TABLE interaction_surveys (
  interaction_id      INTEGER PRIMARY KEY REFERENCES interactions(id),
  customer_id         INTEGER REFERENCES customers(id),
  queue_id            INTEGER REFERENCES call_queues(id),
  agent_id            INTEGER REFERENCES agents(id),
  status              TEXT NOT NULL
                      CHECK (status IN ('not_offered', 'offered', 'completed', 'partial', 'no_answer', 'hung_up')),
  not_offered_reason  TEXT,
  language            TEXT,
  -- 1 (very unhappy) to 5 (very happy); NULL when not answered.
  score               INTEGER CHECK (score BETWEEN 1 AND 5),
  -- "Was your problem solved?": 1 yes, 0 no, NULL not answered.
  resolved            INTEGER CHECK (resolved IN (0, 1)),
  offered_at          TEXT,
  -- When the last answer came, or the survey ended without one.
  ended_at            TEXT,
  created_at          TEXT NOT NULL
);
CREATE INDEX interaction_surveys_customer ON interaction_surveys(customer_id, ended_at);
CREATE INDEX interaction_surveys_ended ON interaction_surveys(ended_at);

-- A CallQueue asks its callers how we did after the agent hangs up (Twilio calls only).
ALTER TABLE call_queues ADD COLUMN survey_enabled INTEGER NOT NULL DEFAULT 0 CHECK (survey_enabled IN (0, 1));
