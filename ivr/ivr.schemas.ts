import { Type, type Static } from 'typebox';

/** Languages a flow can speak. Each needs a row in `LOCALES` (verbs.ts) and a key in `Text`. */
export const LANGUAGES = ['en-US', 'zh-CN'] as const;
export const Language = Type.Enum(LANGUAGES);
export type Language = Static<typeof Language>;

/** E.164: a plus, a country code not starting with 0, 7 to 15 digits in all. */
export const E164_PATTERN = /^\+[1-9][0-9]{6,14}$/;
const E164 = Type.String({ pattern: E164_PATTERN.source, description: 'E.164 number, e.g. +14155550100' });

/** Node ids end up in webhook URLs, so they stay URL-safe. */
export const NODE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Flow ids are file names. */
export const FLOW_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export const VOICE_PATTERN = /^(man|woman|alice|Polly\.[A-Za-z-]+|Google\.[A-Za-z0-9-]+)$/;
export const URL_PATTERN = /^https?:\/\/\S+$/;
export const ANSWER_KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

const Words = Type.String({ minLength: 1, maxLength: 1000 });
const NodeRef = Type.String({ minLength: 1, description: 'Id of another node of the same flow' });
const AnswerKey = Type.String({
  pattern: ANSWER_KEY_PATTERN.source,
  description: 'Key of the IVR answers the node records under; default: the node id',
});

/** Words by language. The flow's default language is required (checked at load). */
const Text = Type.Object(
  { 'en-US': Type.Optional(Words), 'zh-CN': Type.Optional(Words) },
  { additionalProperties: false },
);

/** Words always spoken in one language, whatever the caller chose: "中文服务请按2" in an English prompt. */
const FixedText = Type.Object({ language: Language, text: Words }, { additionalProperties: false });

/** What a node says: one `Text`, or several parts spoken in turn. */
const Prompt = Type.Union([Text, Type.Array(Type.Union([Text, FixedText]), { minItems: 1 })]);
export type Prompt = Static<typeof Prompt>;

const Phrases = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1 });
/** Speech phrases by language; the caller's words are matched against the call's current language. */
const PhrasesByLanguage = Type.Object(
  { 'en-US': Type.Optional(Phrases), 'zh-CN': Type.Optional(Phrases) },
  { additionalProperties: false },
);

/** Twilio voice names. Twilio's catalogue is long and changes, so only the shape is checked. */
const Voice = Type.String({ pattern: VOICE_PATTERN.source });

const Skills = Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { uniqueItems: true });

const seconds = (minimum: number, maximum: number, fallback: number, description?: string) =>
  Type.Optional(Type.Integer({ minimum, maximum, default: fallback, ...(description && { description }) }));

export const MENU_DEFAULTS = { timeoutSeconds: 5, retries: 2 } as const;
export const IDENTIFY_DEFAULTS = { timeoutSeconds: 10, retries: 2 } as const;
export const CALLBACK_DEFAULTS = { timeoutSeconds: 5 } as const;
export const VOICEMAIL_DEFAULTS = { maxLengthSeconds: 120 } as const;
export const TRANSFER_DEFAULTS = { timeoutSeconds: 30 } as const;

const SayNode = Type.Object(
  {
    type: Type.Literal('say'),
    text: Prompt,
    voice: Type.Optional(
      Type.Object(
        { 'en-US': Type.Optional(Voice), 'zh-CN': Type.Optional(Voice) },
        { additionalProperties: false, description: 'Twilio voice by language, instead of the default' },
      ),
    ),
    next: NodeRef,
  },
  { additionalProperties: false },
);

const PlayNode = Type.Object(
  { type: Type.Literal('play'), url: Type.String({ pattern: URL_PATTERN.source }), next: NodeRef },
  { additionalProperties: false },
);

const MenuOption = Type.Object(
  {
    digit: Type.Optional(Type.String({ description: 'One key: 0-9, * or #' })),
    speech: Type.Optional(PhrasesByLanguage),
    value: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'What the answers record, e.g. "sales"',
    }),
    next: NodeRef,
  },
  { additionalProperties: false },
);
export type MenuOption = Static<typeof MenuOption>;

const MenuNode = Type.Object(
  {
    type: Type.Literal('menu'),
    prompt: Prompt,
    options: Type.Array(MenuOption, { minItems: 1 }),
    timeoutSeconds: seconds(1, 60, MENU_DEFAULTS.timeoutSeconds, 'Silence after the prompt before no input'),
    retries: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 5,
        default: MENU_DEFAULTS.retries,
        description: 'Times the menu is asked again after no input or no match before noInput/noMatch',
      }),
    ),
    noInputPrompt: Type.Optional(Prompt),
    noMatchPrompt: Type.Optional(Prompt),
    minConfidence: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description: 'Speech heard with a lower Confidence is no match',
      }),
    ),
    saveAs: Type.Optional(AnswerKey),
    sensitive: Type.Optional(
      Type.Boolean({
        description:
          'The caller keys card numbers, PINs or the like here: call recording pauses while they are in this node (PCI)',
      }),
    ),
    noInput: NodeRef,
    noMatch: NodeRef,
  },
  { additionalProperties: false },
);

const SetLanguageNode = Type.Object(
  { type: Type.Literal('set_language'), language: Language, next: NodeRef },
  { additionalProperties: false },
);

const IdentifyNode = Type.Object(
  {
    type: Type.Literal('identify'),
    prompt: Type.Optional(Prompt),
    notFoundPrompt: Type.Optional(Prompt),
    timeoutSeconds: seconds(
      1,
      60,
      IDENTIFY_DEFAULTS.timeoutSeconds,
      'Silence before the digits count as entered',
    ),
    retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 5, default: IDENTIFY_DEFAULTS.retries })),
    sensitive: Type.Optional(
      Type.Boolean({
        description:
          'The caller keys card numbers, PINs or the like here: call recording pauses while they are in this node (PCI)',
      }),
    ),
    found: NodeRef,
    notFound: NodeRef,
  },
  { additionalProperties: false },
);

const Calendar = Type.Object(
  {
    timeZone: Type.String({ minLength: 1, description: 'IANA time zone, e.g. America/New_York' }),
    hours: Type.Array(Type.String({ description: 'Days and local hours, e.g. "mon-fri 09:00-18:00"' }), {
      minItems: 1,
    }),
    holidays: Type.Optional(Type.Array(Type.String({ description: 'Closed all day, e.g. 2025-12-25' }))),
  },
  { additionalProperties: false },
);
export type Calendar = Static<typeof Calendar>;

const BusinessHoursNode = Type.Object(
  {
    type: Type.Literal('business_hours'),
    calendar: Calendar,
    saveAs: Type.Optional(AnswerKey),
    open: NodeRef,
    closed: NodeRef,
  },
  { additionalProperties: false },
);

const RouteToQueueNode = Type.Object(
  {
    type: Type.Literal('route_to_queue'),
    queue: Type.String({ minLength: 1, maxLength: 100, description: 'CallQueue name' }),
    skills: Type.Optional(Skills),
    skillsByLanguage: Type.Optional(
      Type.Object(
        { 'en-US': Type.Optional(Skills), 'zh-CN': Type.Optional(Skills) },
        { additionalProperties: false, description: 'Skills added when the call is in that language' },
      ),
    ),
    priorityBoost: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 3600,
        default: 0,
        description: 'Seconds of virtual waiting added, like CallQueue tier boosts',
      }),
    ),
    prompt: Type.Optional(Prompt),
  },
  { additionalProperties: false },
);

const CallbackOfferNode = Type.Object(
  {
    type: Type.Literal('callback_offer'),
    prompt: Prompt,
    queue: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'CallQueue whose next free agent calls back; the caller keeps their place in it',
    }),
    timeoutSeconds: seconds(1, 60, CALLBACK_DEFAULTS.timeoutSeconds),
    saveAs: Type.Optional(AnswerKey),
    accepted: Type.Optional(Type.String({ minLength: 1, description: 'Where 1 leads; default: next' })),
    next: NodeRef,
  },
  { additionalProperties: false },
);

const VoicemailNode = Type.Object(
  {
    type: Type.Literal('voicemail'),
    prompt: Prompt,
    maxLengthSeconds: seconds(5, 600, VOICEMAIL_DEFAULTS.maxLengthSeconds),
    next: NodeRef,
  },
  { additionalProperties: false },
);

const TransferNode = Type.Object(
  {
    type: Type.Literal('transfer'),
    to: E164,
    prompt: Type.Optional(Prompt),
    timeoutSeconds: seconds(5, 120, TRANSFER_DEFAULTS.timeoutSeconds, 'Ringing before the transfer gives up'),
  },
  { additionalProperties: false },
);

const HangupNode = Type.Object(
  { type: Type.Literal('hangup'), text: Type.Optional(Prompt) },
  { additionalProperties: false },
);

/** Every node kind by its `type`; the loader validates a node against the schema its type names. */
export const NODE_SCHEMAS = {
  say: SayNode,
  play: PlayNode,
  menu: MenuNode,
  set_language: SetLanguageNode,
  identify: IdentifyNode,
  business_hours: BusinessHoursNode,
  route_to_queue: RouteToQueueNode,
  callback_offer: CallbackOfferNode,
  voicemail: VoicemailNode,
  transfer: TransferNode,
  hangup: HangupNode,
} as const;
export type NodeType = keyof typeof NODE_SCHEMAS;

export type FlowNode = { [K in NodeType]: Static<(typeof NODE_SCHEMAS)[K]> }[NodeType];
export type NodeOfType<K extends NodeType> = Extract<FlowNode, { type: K }>;

export const SURVEY_DEFAULTS = { timeoutSeconds: 6 } as const;

/** One survey question: what is asked, and the words that count as each answer (keys always do). */
const SurveyQuestion = Type.Object(
  {
    prompt: Prompt,
    speech: Type.Optional(
      Type.Object(
        Object.fromEntries(['1', '2', '3', '4', '5'].map((key) => [key, Type.Optional(PhrasesByLanguage)])),
        {
          additionalProperties: false,
          description: 'Phrases by answer key: "1"-"5" for the score, "1" yes / "2" no for resolved',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

/**
 * The post-call satisfaction survey of a flow's callers, asked after the Agent hangs up when their
 * CallQueue has it on: a score from 1 to 5, then, optionally, "was your problem solved?" (1 yes, 2 no).
 */
export const Survey = Type.Object(
  {
    score: SurveyQuestion,
    resolved: Type.Optional(SurveyQuestion),
    /** Said before a question is asked again after an invalid key or silence. */
    retryPrompt: Type.Optional(Prompt),
    thanks: Prompt,
    timeoutSeconds: seconds(
      2,
      30,
      SURVEY_DEFAULTS.timeoutSeconds,
      'Silence after a question before no answer',
    ),
  },
  { additionalProperties: false },
);
export type Survey = Static<typeof Survey>;

/** A flow file before its nodes are checked one by one, each against the schema its `type` names. */
export const FlowEnvelope = Type.Object(
  {
    id: Type.String({ pattern: FLOW_ID_PATTERN.source, description: "The file's name without .yaml" }),
    version: Type.Integer({ minimum: 1, description: 'Raised on every change; kept with each call' }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    language: Type.Optional(Type.Enum(LANGUAGES, { default: 'en-US', description: 'Default language' })),
    start: NodeRef,
    survey: Type.Optional(Survey),
    nodes: Type.Record(Type.String(), Type.Object({ type: Type.String() }), { minProperties: 1 }),
  },
  { additionalProperties: false },
);
/** A checked flow: its default language filled in, every node valid. */
export type Flow = Omit<Static<typeof FlowEnvelope>, 'nodes' | 'language'> & {
  language: Language;
  nodes: Record<string, FlowNode>;
};

/** numbers.yaml: which flow answers each dialled number (`To`). */
export const NumberMap = Type.Object(
  {
    default: Type.String({ minLength: 1, description: 'Flow for numbers not listed' }),
    numbers: Type.Optional(Type.Record(Type.String(), Type.String({ minLength: 1 }))),
  },
  { additionalProperties: false },
);
export type NumberMap = Static<typeof NumberMap>;

/** I/O the engine asks its caller to do; the result comes back as the next step's input. */
export const Effect = Type.Union([
  Type.Object({ kind: Type.Literal('identify_by_number'), number: Type.String() }),
  Type.Object({ kind: Type.Literal('identify_by_digits'), digits: Type.String() }),
]);
export type Effect = Static<typeof Effect>;

/** What the IVR decided for the call. Only `callback_requested` lets the flow go on. */
export const IvrOutcome = Type.Union([
  Type.Object({
    kind: Type.Literal('enqueue'),
    queue: Type.String(),
    skills: Type.Array(Type.String()),
    priorityBoost: Type.Integer(),
  }),
  Type.Object({ kind: Type.Literal('callback_requested'), queue: Type.String() }),
  Type.Object({ kind: Type.Literal('voicemail') }),
  Type.Object({ kind: Type.Literal('transfer'), to: Type.String() }),
  Type.Object({ kind: Type.Literal('hangup') }),
]);
export type IvrOutcome = Static<typeof IvrOutcome>;

/** What the engine waits for at `IvrState.nodeId`. */
const Awaiting = Type.Union([
  Type.Object({ kind: Type.Literal('entry') }, { description: 'The node has not run yet' }),
  Type.Object(
    { kind: Type.Literal('input') },
    { description: "A <Gather> is out; Twilio posts the caller's input" },
  ),
  Type.Object({ kind: Type.Literal('effect'), effect: Effect }),
  Type.Object({ kind: Type.Literal('recording') }, { description: 'A <Record> is out' }),
  Type.Object({ kind: Type.Literal('finished'), outcome: IvrOutcome }),
]);

/** Where a call is in its flow: plain JSON, stored on the interaction between webhooks. */
export const IvrState = Type.Object({
  flowId: Type.String(),
  flowVersion: Type.Integer(),
  nodeId: Type.String(),
  awaiting: Awaiting,
  language: Language,
  attempts: Type.Integer({ minimum: 0, description: 'Retries used at the current node' }),
  answers: Type.Record(Type.String(), Type.String(), { description: 'IVR answers for the screen pop' }),
  path: Type.Array(Type.String(), { description: 'Nodes visited, in order' }),
});
export type IvrState = Static<typeof IvrState>;
