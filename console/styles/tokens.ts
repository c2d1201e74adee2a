import { css } from 'lit';

/**
 * Design tokens, applied to the document root by main.ts. Custom properties inherit through shadow
 * roots, so every element styles itself from these. Text colours meet WCAG AA (4.5:1) on their
 * intended backgrounds; status colours always come with text or an icon, never alone.
 */
export const tokens = css`
  :root {
    color-scheme: light;

    --cti-font-family:
      system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'PingFang SC',
      'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif;
    --cti-font-size-sm: 0.875rem;
    --cti-font-size-md: 1rem;
    --cti-font-size-lg: 1.25rem;
    --cti-font-size-xl: 1.625rem;
    --cti-line-height: 1.5;

    --cti-space-1: 0.25rem;
    --cti-space-2: 0.5rem;
    --cti-space-3: 0.75rem;
    --cti-space-4: 1rem;
    --cti-space-5: 1.5rem;
    --cti-space-6: 2rem;

    --cti-radius-sm: 4px;
    --cti-radius-md: 8px;
    --cti-radius-pill: 999px;

    --cti-color-bg: #f4f6f9;
    --cti-color-surface: #ffffff;
    --cti-color-surface-muted: #f8fafc;
    --cti-color-text: #1b2330;
    --cti-color-text-muted: #4a5568;
    --cti-color-border: #d5dbe3;
    --cti-color-border-strong: #8a94a6;

    --cti-color-primary: #1f5fbf;
    --cti-color-primary-hover: #184c99;
    --cti-color-primary-text: #ffffff;
    --cti-color-primary-soft: #e8f0fc;

    --cti-color-header-bg: #14213d;
    --cti-color-header-text: #ffffff;
    --cti-color-header-muted: #c5cede;

    --cti-color-danger: #b42318;
    --cti-color-danger-soft: #fdecea;
    --cti-color-warning-text: #7a4100;
    --cti-color-warning-soft: #fff4e0;
    --cti-color-warning-border: #e3a33b;
    --cti-color-success: #1e7a3c;
    --cti-color-success-soft: #e7f6ec;

    --cti-tier-platinum-bg: #e6e9f5;
    --cti-tier-platinum-text: #2e3a6e;
    --cti-tier-gold-bg: #fdf1c7;
    --cti-tier-gold-text: #6b4a00;
    --cti-tier-silver-bg: #eceff3;
    --cti-tier-silver-text: #3c4656;
    --cti-tier-bronze-bg: #f8e4d6;
    --cti-tier-bronze-text: #7a3a12;

    --cti-focus-ring: 0 0 0 3px #ffffff, 0 0 0 5px #1f5fbf;
    --cti-shadow-card: 0 1px 2px rgb(16 24 40 / 6%), 0 1px 3px rgb(16 24 40 / 10%);
    --cti-content-max-width: 72rem;
  }

  body {
    margin: 0;
    background: var(--cti-color-bg);
    color: var(--cti-color-text);
    font-family: var(--cti-font-family);
    font-size: var(--cti-font-size-md);
    line-height: var(--cti-line-height);
    -webkit-text-size-adjust: 100%;
  }
`;
