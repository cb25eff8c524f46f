import type { IncomingMessage } from "node:http";

export async function readBody(req: IncomingMessage, limit = 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error("body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function cookies(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0) out[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return out;
}

/** Cart API input from JSON, urlencoded or multipart bodies (themes send all three). */
export async function cartInput(contentType: string | undefined, body: Buffer, query: URLSearchParams): Promise<Record<string, unknown>> {
  const fields: Record<string, unknown> = Object.fromEntries(query);
  if (body.length === 0) return fields;
  if ((contentType ?? "").includes("application/json")) {
    try {
      return { ...fields, ...(JSON.parse(body.toString("utf8")) as Record<string, unknown>) };
    } catch {
      return fields;
    }
  }
  const form = await new Request("http://sim.local/", { method: "POST", headers: { "content-type": contentType ?? "application/x-www-form-urlencoded" }, body: new Uint8Array(body) }).formData();
  const updates: Record<string, string> = {};
  const properties: Record<string, string> = {};
  for (const [name, value] of form) {
    if (typeof value !== "string") continue;
    const update = /^updates\[(\d+)\]$/.exec(name);
    const property = /^properties\[(.+)\]$/.exec(name);
    if (update) updates[update[1]!] = value;
    else if (property) properties[property[1]!] = value;
    else fields[name] = value;
  }
  if (Object.keys(updates).length > 0) fields.updates = updates;
  if (Object.keys(properties).length > 0) fields.properties = properties;
  return fields;
}
