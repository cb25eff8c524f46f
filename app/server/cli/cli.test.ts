import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const run = promisify(execFile);

describe("npx cartback (embedded PGlite, outbox)", () => {
  let dir: string;
  const cli = (...args: string[]) =>
    run(process.execPath, ["scripts/cartback.mjs", ...args], { cwd: ROOT, env: { ...process.env, NODE_ENV: "test", CARTBACK_DATA_DIR: dir, SMTP_URL: "", DATABASE_URL: "", MAIL_FROM: "", LOG_LEVEL: "silent" } });
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "cartback-cli-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("updates a campaign, refuses a test email until a sender is set, then sends it to the outbox", { timeout: 120_000 }, async () => {
    const shop = "cli-test.myshopify.com";
    const updated = await cli("campaign", shop, "--steps", "30m,1d", "--quiet", "22:00-07:00");
    expect(updated.stdout).toContain("steps: 30m, 1d");
    expect(updated.stdout).toContain("quiet hours: 22:00-07:00 (shop time)");
    // No sender, no MAIL_FROM, no store contact email: nothing goes out from no-reply@<app host>.
    await expect(cli("test-email", shop, "ops@example.com")).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("Set a sender email") });
    await cli("install", shop);
    await cli("sender", shop, "--from-address", "hello@cli-test.example");
    const sent = await cli("test-email", shop, "ops@example.com");
    expect(sent.stdout).toMatch(/^sent <.+> via outbox/);
    expect(await readFile(path.join(dir, "outbox", (await readdir(path.join(dir, "outbox"))).find((f) => f.endsWith(".eml"))!), "utf8")).toMatch(/^From: .*<hello@cli-test\.example>/m);
    expect((await readdir(path.join(dir, "outbox"))).filter((f) => f.endsWith(".eml"))).toHaveLength(1);
    await expect(cli("campaign", shop, "--cap", "lots")).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("--cap: expected COUNT/DURATION") });
    await expect(cli("campaign", shop, "--catalog", "no-such-catalog")).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('catalog: no catalog is named "no-such-catalog"') });
    const json = JSON.parse((await cli("campaign", shop, "--json")).stdout) as { steps: { delayMs: number }[] };
    expect(json.steps.map((s) => s.delayMs)).toEqual([1_800_000, 86_400_000]);
  });

  it("saves a step template with its catalog mapping, refuses a broken one with line and column, previews it and refuses a test send of a missing step", { timeout: 120_000 }, async () => {
    const shop = "cli-template.myshopify.com";
    const broken = path.join(dir, "broken.html");
    await writeFile(broken, "<p>Hi</p>\n<p>{% for item in Catalog.Samplecatalog1 %}</p>");
    await expect(cli("template", shop, "--step", "1", "--html-file", broken)).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/steps\.0\.template\.html \(line 2, column \d+\)/) });
    const seed = path.join(dir, "seed.html");
    await writeFile(seed, `{% for item in Catalog.Samplecatalog1 %}<img src="{{ item.ImageURL | default: 'No Image' }}"> {{ item.Identity }} {{ item.Name }}{% endfor %}`);
    const saved = await cli("template", shop, "--step", "1", "--subject", "Hi {{ customer.first_name }}", "--html-file", seed, "--alias", "Samplecatalog1");
    expect(saved.stdout).toContain("step 1: custom template");
    expect(saved.stdout).toContain('catalog mapping: profile.shopify_cart_ids → Catalog["shopify-catalog"] (alias Catalog.Samplecatalog1)');
    const out = path.join(dir, "preview.html");
    const shown = await cli("preview", shop, "--out", out);
    expect(shown.stdout).toContain("subject: Hi Alex");
    expect(await readFile(out, "utf8")).toContain("40000000000002 Sample Hoodie - Large");
    await expect(cli("test-email", shop, "ops@example.com", "--step", "2")).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("--step: the campaign has steps 1 to 1") });

    // A draft: previewed with the template flags, refused like a save, and never saved.
    const draft = await cli("preview", shop, "--subject", "Draft {{ customer.first_name }}");
    expect(draft.stdout).toContain("subject: Draft Alex");
    await expect(cli("preview", shop, "--html-file", broken)).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/steps\.0\.template\.html \(line 2, column \d+\)/) });
    expect((await cli("preview", shop)).stdout).toContain("subject: Hi Alex");
  });
});
