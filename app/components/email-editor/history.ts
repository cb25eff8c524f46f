import type { BlockDocument } from "@cartback/email-blocks";

/**
 * Undo/redo over whole documents (they are small). Consecutive edits with the same key (typing
 * into one field) coalesce into one step, so undo takes back a word's worth of typing, not a letter.
 */
export type History = { past: BlockDocument[]; present: BlockDocument; future: BlockDocument[]; lastKey: string | null };

export type HistoryAction =
  | { type: "edit"; document: BlockDocument; key?: string }
  | { type: "undo" }
  | { type: "redo" }
  | { type: "reset"; document: BlockDocument };

const LIMIT = 100;

export function initialHistory(document: BlockDocument): History {
  return { past: [], present: document, future: [], lastKey: null };
}

export function historyReducer(state: History, action: HistoryAction): History {
  switch (action.type) {
    case "edit": {
      if (action.document === state.present) return state;
      const key = action.key ?? null;
      if (key !== null && key === state.lastKey) return { ...state, present: action.document, future: [] };
      return { past: [...state.past, state.present].slice(-LIMIT), present: action.document, future: [], lastKey: key };
    }
    case "undo": {
      const previous = state.past.at(-1);
      if (!previous) return state;
      return { past: state.past.slice(0, -1), present: previous, future: [state.present, ...state.future], lastKey: null };
    }
    case "redo": {
      const [next, ...rest] = state.future;
      if (!next) return state;
      return { past: [...state.past, state.present], present: next, future: rest, lastKey: null };
    }
    case "reset":
      return initialHistory(action.document);
    default: {
      const unreachable: never = action;
      throw new Error(`unexpected ${JSON.stringify(unreachable)}`);
    }
  }
}
