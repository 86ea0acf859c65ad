/**
 * Putting text into X's Draft.js composer and checking that X took it (docs/ARCHITECTURE.md, journey 2): a synthetic paste first
 * (Draft's onPaste reads clipboardData and splits lines into blocks), then `execCommand('insertText')` line by
 * line as a fallback. Success means the editor holds exactly the text AND its Post button is enabled: a DOM-only
 * change that X's model never saw leaves the button disabled. Never submits.
 */
import type { FillMethod } from '../messaging';
import { editorText, findPostButton, isPostButtonEnabled } from './page';
import { dispatchPaste } from './paste';

/** Line endings normalised, as Draft stores them. */
function normalize(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** True when `editor` holds exactly `text` and its Post / Reply button can be pressed. */
export function isFilled(editor: HTMLElement, text: string): boolean {
  return editorText(editor) === normalize(text) && isPostButtonEnabled(findPostButton(editor));
}

/** True when the editor holds no text (a fresh composer, or the user's draft is gone). */
export function isEmptyEditor(editor: HTMLElement): boolean {
  return editorText(editor).trim() === '';
}

/** Resolves with `check()` once it is true, or false after `timeoutMs` (checked every frame-ish tick). */
export async function waitFor(check: () => boolean, timeoutMs: number, stepMs = 20): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (check()) return true;
    if (Date.now() >= end) return false;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}

/** Focuses the editor and puts the caret after its last character. */
function caretAtEnd(editor: HTMLElement): void {
  editor.focus();
  const doc = editor.ownerDocument;
  const selection = doc.getSelection();
  if (!selection) return;
  const walker = doc.createTreeWalker(editor, 4 /* NodeFilter.SHOW_TEXT */);
  let last: Node | null = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) last = node;
  const range = doc.createRange();
  if (last) range.setStart(last, last.nodeValue?.length ?? 0);
  else range.selectNodeContents(editor);
  range.collapse(!!last);
  selection.removeAllRanges();
  selection.addRange(range);
}

/** `execCommand` insertion: each line as text, `insertParagraph` between lines (keeps paragraphs). */
function typeLines(editor: HTMLElement, text: string): void {
  const doc = editor.ownerDocument;
  doc.getSelection()?.selectAllChildren(editor);
  normalize(text)
    .split('\n')
    .forEach((line, i) => {
      if (i > 0) doc.execCommand('insertParagraph');
      if (line) doc.execCommand('insertText', false, line);
    });
}

/**
 * Fills an empty composer with `text` and verifies it: the method that worked, or null when neither did (then
 * the editor is emptied again).
 * `settleMs`: how long X gets to re-render after each attempt.
 */
export async function fillEditor(
  editor: HTMLElement,
  text: string,
  settleMs = 1000,
): Promise<Exclude<FillMethod, 'intent'> | null> {
  caretAtEnd(editor);
  dispatchPaste(editor, normalize(text));
  if (await waitFor(() => isFilled(editor, text), settleMs)) return 'paste';
  if (!editor.isConnected) return null;
  caretAtEnd(editor);
  typeLines(editor, text);
  if (await waitFor(() => isFilled(editor, text), settleMs)) return 'execCommand';
  // Leave no half-filled composer behind: the caller falls back to X's web intent.
  if (editor.isConnected) {
    editor.ownerDocument.getSelection()?.selectAllChildren(editor);
    editor.ownerDocument.execCommand('delete');
  }
  return null;
}
