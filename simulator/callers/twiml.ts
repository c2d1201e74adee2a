/**
 * A small reader for the TwiML our server answers with: elements, attributes and text, the five
 * predefined entities and numeric character references. No namespaces, no DTD; comments, CDATA and
 * the XML declaration are understood. Enough to follow a call, not a general XML parser.
 */

export interface TwimlElement {
  /** The verb or noun: `Gather`, `Say`, `Conference`, … */
  name: string;
  attributes: Record<string, string>;
  children: TwimlElement[];
  /** The element's own text (its children's left out), trimmed. */
  text: string;
}

export class TwimlError extends Error {
  constructor(message: string, xml: string) {
    super(`${message} in TwiML: ${xml.length > 300 ? `${xml.slice(0, 300)}…` : xml}`);
    this.name = 'TwimlError';
  }
}

const NAME = /^[A-Za-z_][\w.-]*/;
const ATTRIBUTE = /([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/g;

/** Parses a TwiML document and returns its `<Response>`. */
export function parseTwiml(xml: string): TwimlElement {
  const root: TwimlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: TwimlElement[] = [root];
  let at = 0;
  const top = () => stack[stack.length - 1] ?? root;

  while (at < xml.length) {
    const open = xml.indexOf('<', at);
    const textEnd = open === -1 ? xml.length : open;
    if (textEnd > at) top().text += decode(xml.slice(at, textEnd));
    if (open === -1) break;

    if (xml.startsWith('<?', open)) {
      at = after(xml, '?>', open);
    } else if (xml.startsWith('<!--', open)) {
      at = after(xml, '-->', open);
    } else if (xml.startsWith('<![CDATA[', open)) {
      const end = xml.indexOf(']]>', open);
      if (end === -1) throw new TwimlError('unterminated CDATA', xml);
      top().text += xml.slice(open + 9, end);
      at = end + 3;
    } else if (xml.startsWith('</', open)) {
      const end = after(xml, '>', open);
      const name = xml.slice(open + 2, end - 1).trim();
      const element = stack.pop();
      if (!element || element === root || element.name !== name) {
        throw new TwimlError(`unexpected </${name}>`, xml);
      }
      at = end;
    } else {
      const end = after(xml, '>', open);
      const inside = xml.slice(open + 1, end - 1);
      const selfClosing = inside.endsWith('/');
      const body = selfClosing ? inside.slice(0, -1) : inside;
      const name = NAME.exec(body)?.[0];
      if (!name) throw new TwimlError('a tag without a name', xml);
      const attributes: Record<string, string> = {};
      for (const match of body.slice(name.length).matchAll(ATTRIBUTE)) {
        attributes[match[1] ?? ''] = decode(match[3] ?? match[4] ?? '');
      }
      const element: TwimlElement = { name, attributes, children: [], text: '' };
      top().children.push(element);
      if (!selfClosing) stack.push(element);
      at = end;
    }
  }
  if (stack.length !== 1) throw new TwimlError(`<${top().name}> is not closed`, xml);
  trim(root);
  const response = root.children[0];
  if (root.children.length !== 1 || response?.name !== 'Response') {
    throw new TwimlError('the document is not one <Response>', xml);
  }
  return response;
}

/** All the text an element speaks, its children's included (a `<Gather>`'s prompts). */
export function spokenText(element: TwimlElement): string {
  return [element.text, ...element.children.map(spokenText)].filter(Boolean).join(' ');
}

function after(xml: string, token: string, from: number): number {
  const end = xml.indexOf(token, from);
  if (end === -1) throw new TwimlError(`unterminated markup at ${from}`, xml);
  return end + token.length;
}

function trim(element: TwimlElement): void {
  element.text = element.text.trim();
  element.children.forEach(trim);
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return ENTITIES[entity] ?? whole;
  });
}
