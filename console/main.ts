import './app/cti-app.js';
import { tokens } from './styles/tokens.js';

// Tokens live on :root so that every shadow root inherits them.
if (tokens.styleSheet) {
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, tokens.styleSheet];
} else {
  const style = document.createElement('style');
  style.textContent = tokens.cssText;
  document.head.append(style);
}
