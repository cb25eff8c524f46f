import { z } from "zod";

/**
 * What an SMTP server and DNS accept as a mailbox (RFC 5321 §4.5.3.1, RFC 1035 §2.3.4): zod's
 * email shape, then the length limits it does not check. An address past them is refused by the
 * relay at send time, long after the merchant saved it, so the form refuses it instead.
 */
export function mailAddressProblem(value: string): string | null {
  if (!z.email().safeParse(value).success) return "must be an email address, like shop@example.com";
  const at = value.lastIndexOf("@");
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.length > 64) return "must be an email address with at most 64 characters before the @";
  if (domain.split(".").some((label) => label.length > 63)) return "must be an email address whose domain parts (between dots) have at most 63 characters each";
  if (domain.length > 253) return "must be an email address whose domain (after the @) has at most 253 characters";
  if (value.length > 254) return "must be at most 254 characters";
  return null;
}

/** A mailbox a relay will take: the one check for every address the admin stores or sends to. */
export const MailAddress = z.string().check((ctx) => {
  const problem = mailAddressProblem(ctx.value);
  if (problem) ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
});
