import { type FieldTable, type MerchantError, merchantError } from "../../shared/merchant-text.ts";
import type { ShopSettings } from "./shop-settings.ts";

/**
 * A switch posted by an admin form. The forms post an explicit "on" or "off" from a hidden
 * input, because a Polaris Checkbox hydrates with value="" and a ticked box then posts an
 * empty string (read as "off" before: Cart Tracking switched itself off on every save).
 * An empty or unknown value is refused rather than guessed; a missing one keeps what is saved.
 */
export type Toggle = { type: "set"; on: boolean } | { type: "missing" } | { type: "invalid" };

export function parseToggle(value: FormDataEntryValue | null): Toggle {
  if (value === null) return { type: "missing" };
  switch (typeof value === "string" ? value.trim().toLowerCase() : "") {
    case "on":
    case "true":
      return { type: "set", on: true };
    case "off":
    case "false":
      return { type: "set", on: false };
    default:
      return { type: "invalid" };
  }
}

/** Schema paths of the Settings page's fields, named as the page shows them. */
export const SETTINGS_FIELDS: FieldTable = [
  [/^cartTrackingEnabled$/, { input: "cartTrackingEnabled", label: "Cart Tracking" }],
  [/^timezone$/, { input: "timezone", label: "Time zone" }],
  [/^sender\.fromName$/, { input: "fromName", label: "From name" }],
  [/^sender\.fromAddress$/, { input: "fromAddress", label: "From address" }],
  [/^sender\.replyTo$/, { input: "replyTo", label: "Reply-to" }],
];

/** What saveShopSettings checks: blank sender fields there mean "not set". */
export interface SettingsInput {
  cartTrackingEnabled: boolean;
  timezone: string;
  sender: { fromName: string; fromAddress: string; replyTo: string };
}

export type SettingsForm = { type: "ok"; input: SettingsInput } | ({ type: "invalid" } & MerchantError);

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

/** The Settings form as saveShopSettings' input; fields left out keep their saved values. */
export function settingsFromForm(form: FormData, current: ShopSettings): SettingsForm {
  const tracking = parseToggle(form.get("cartTrackingEnabled"));
  if (tracking.type === "invalid") return { type: "invalid", field: "cartTrackingEnabled", message: "Cart Tracking must be on or off" };
  const keep = (name: string, saved: string | null) => (form.has(name) ? text(form, name) : (saved ?? ""));
  return {
    type: "ok",
    input: {
      cartTrackingEnabled: tracking.type === "set" ? tracking.on : current.cartTrackingEnabled,
      timezone: keep("timezone", current.timezone),
      sender: {
        fromName: keep("fromName", current.sender.fromName),
        fromAddress: keep("fromAddress", current.sender.fromAddress),
        replyTo: keep("replyTo", current.sender.replyTo),
      },
    },
  };
}

/** A save's schema error as the Settings page shows it. */
export function settingsError(path: string, message: string): MerchantError {
  return merchantError(SETTINGS_FIELDS, path, message);
}
