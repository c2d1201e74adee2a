/** Timeline events of the post-call survey, on the Interaction's history. */
export const SURVEY_EVENTS = {
  offered: 'survey_offered',
  answered: 'survey_answered',
  ended: 'survey_ended',
  notOffered: 'survey_not_offered',
} as const;
