import { Type, type Static } from 'typebox';

export const Role = Type.Union([Type.Literal('agent'), Type.Literal('supervisor'), Type.Literal('admin')]);
export type Role = Static<typeof Role>;
export const ROLES: readonly Role[] = ['agent', 'supervisor', 'admin'];

export const UiLanguage = Type.Union([Type.Literal('en'), Type.Literal('zh-CN')]);
export type UiLanguage = Static<typeof UiLanguage>;

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

/** The signed-in agent, as the console sees it. */
export const Me = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: Role,
  uiLanguage: UiLanguage,
});
export type Me = Static<typeof Me>;

/** What sign-in and `GET /api/auth/me` answer: the agent and what their console may start. */
export const SignedIn = Type.Object({
  ...Me.properties,
  softphone: Type.Boolean({
    description: 'This server has a SIP edge and the user a SIP address: the console starts its softphone',
  }),
});
export type SignedIn = Static<typeof SignedIn>;
