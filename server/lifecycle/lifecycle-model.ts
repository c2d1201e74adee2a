import { Type } from 'typebox';

/*
 * The `lifecycle` section of the value model file (config/value-model.json): how the rules in
 * lifecycle.rules.ts derive a customer's LifecycleStage and churn-risk score. A leaf module (typebox
 * only) so the value model's loader, in server/customer-value, can validate the section with the rest
 * of the file without importing the lifecycle domain. Defaults and meanings: server/lifecycle/README.md.
 */

const Days = (description: string, fallback: number) =>
  Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, description, default: fallback }));
const Points = (description: string, fallback: number) =>
  Type.Optional(Type.Number({ minimum: 0, maximum: 100, description, default: fallback }));
const Codes = (description: string) =>
  Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
      maxItems: 200,
      uniqueItems: true,
      description,
      default: [],
    }),
  );

export const LifecycleModelSchema = Type.Object(
  {
    newDays: Days('A customer created fewer days ago than this, with little history, is new', 30),
    newMaxHistory: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1000,
        description: 'Most contacts plus purchases a new customer has',
        default: 3,
      }),
    ),
    windowDays: Days(
      'The at-risk window: negative outcomes, low scores and cancellation intent count in it',
      30,
    ),
    negativeCodes: Codes('Wrap-up codes (their `code`) that count as a negative outcome or complaint'),
    negativeCount: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 100,
        description: 'At risk at this many negative outcomes in windowDays',
        default: 2,
      }),
    ),
    lowScore: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 5,
        description: 'A survey score (1–5) at or below this in windowDays puts the customer at risk',
        default: 2,
      }),
    ),
    cancellationIntentCodes: Codes('Wrap-up codes saying the customer means to cancel: at risk'),
    cancellationCodes: Codes('Wrap-up codes saying the customer cancelled: lost, until they buy again'),
    valueWindowDays: Days('Recent spend is this many days, compared with the same length before it', 90),
    valueDropPercent: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 100,
        description: 'At risk when recent spend fell by at least this percentage',
        default: 50,
      }),
    ),
    atRiskInactiveDays: Days('At risk after this many days without a contact or a purchase', 120),
    lostInactiveDays: Days('Lost after this many days without a contact or a purchase', 365),
    wonBackDays: Days('A customer won back stays won back this long, then is active', 90),
    manualHoldDays: Days('A stage set by hand (wrap-up code, edit) holds this long against the rules', 30),
    evaluateCron: Type.Optional(
      Type.String({
        pattern: '^\\S+( \\S+){4,5}$',
        description:
          'No longer read: every customer is evaluated in the nightly value recomputation (recomputeCron); accepted so that saved models still load',
        default: '30 2 * * *',
      }),
    ),
    churnPoints: Type.Optional(
      Type.Object(
        {
          negativeOutcome: Points(
            'Churn points per negative outcome in windowDays (three count at most)',
            15,
          ),
          lowSatisfaction: Points('Churn points for a low survey score in windowDays', 25),
          cancellationIntent: Points('Churn points for a cancellation-intent code in windowDays', 40),
          valueDrop: Points(
            'Churn points for a fall of recent spend to nothing (less for a smaller fall)',
            30,
          ),
          inactivity: Points('Churn points at lostInactiveDays without activity (less for fewer days)', 40),
        },
        { additionalProperties: false, default: {} },
      ),
    ),
  },
  { additionalProperties: false, default: {} },
);

/** The lifecycle rules' settings with every default filled in (documented on the schema above). */
export interface LifecycleModel {
  newDays: number;
  newMaxHistory: number;
  windowDays: number;
  negativeCodes: string[];
  negativeCount: number;
  lowScore: number;
  cancellationIntentCodes: string[];
  cancellationCodes: string[];
  valueWindowDays: number;
  valueDropPercent: number;
  atRiskInactiveDays: number;
  lostInactiveDays: number;
  wonBackDays: number;
  manualHoldDays: number;
  evaluateCron: string;
  churnPoints: {
    negativeOutcome: number;
    lowSatisfaction: number;
    cancellationIntent: number;
    valueDrop: number;
    inactivity: number;
  };
}

/** Checks the schema cannot state: the first problem as [field, message], or null. */
export function lifecycleModelProblem(model: LifecycleModel): [string, string] | null {
  if (model.lostInactiveDays <= model.atRiskInactiveDays) {
    return ['lifecycle.lostInactiveDays', 'must be above lifecycle.atRiskInactiveDays'];
  }
  return null;
}
