import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("configuration", () => {
  it("starts unconfigured with embedded defaults when the environment is empty", () => {
    const config = loadConfig({});
    expect(config.mode).toEqual({ type: "unconfigured" });
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe("./data");
    expect(config.databaseUrl).toBeUndefined();
    expect(config.appUrl).toBe("http://localhost:3000");
    expect(config.worker).toBe("inline");
  });

  it("treats empty variables as unset", () => {
    expect(loadConfig({ DATABASE_URL: "", SHOPIFY_SHOP: " " }).mode.type).toBe("unconfigured");
  });

  it("recognises a self-hosted custom app", () => {
    const config = loadConfig({
      SHOPIFY_SHOP: "Example.myshopify.com",
      SHOPIFY_ADMIN_TOKEN: "shpat_abc123",
      SHOPIFY_API_SECRET: "s3cret",
    });
    expect(config.mode).toEqual({ type: "self-hosted", shop: "example.myshopify.com", adminToken: "shpat_abc123", apiSecret: "s3cret" });
  });

  it("recognises a partner app and splits its scopes", () => {
    const config = loadConfig({
      SHOPIFY_API_KEY: "key",
      SHOPIFY_API_SECRET: "secret",
      SHOPIFY_APP_URL: "https://cartback.example.com/",
    });
    expect(config.mode.type).toBe("partner");
    expect(config.appUrl).toBe("https://cartback.example.com");
    if (config.mode.type === "partner") expect(config.mode.scopes).toContain("read_products");
  });

  it.each([
    [{ PORT: "eighty" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ SHOPIFY_SHOP: "example.com", SHOPIFY_ADMIN_TOKEN: "shpat_a", SHOPIFY_API_SECRET: "s" }, "SHOPIFY_SHOP"],
    [{ SHOPIFY_SHOP: "a.myshopify.com" }, "SHOPIFY_ADMIN_TOKEN"],
    [{ SHOPIFY_SHOP: "a.myshopify.com", SHOPIFY_ADMIN_TOKEN: "shpat_a" }, "SHOPIFY_API_SECRET"],
    [{ SHOPIFY_ADMIN_TOKEN: "not-a-token" }, "SHOPIFY_ADMIN_TOKEN"],
    [{ SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "s" }, "SHOPIFY_APP_URL"],
    [{ SHOPIFY_APP_URL: "cartback.example.com" }, "SHOPIFY_APP_URL"],
    [{ ADMIN_PASSWORD: "short" }, "ADMIN_PASSWORD"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ SMTP_URL: "http://mail" }, "SMTP_URL"],
    [{ CARTBACK_WORKER: "yes" }, "CARTBACK_WORKER"],
    [{ CARTBACK_EVENT_BURST: "abc" }, "CARTBACK_EVENT_BURST"],
    [{ CARTBACK_WEBHOOK_BURST: "-5" }, "CARTBACK_WEBHOOK_BURST"],
    [{ MAIL_FROM: "carts at example.com" }, "MAIL_FROM"],
    [{ MAIL_FROM: "Shop <carts@>" }, "MAIL_FROM"],
  ])("names the variable that is wrong: %j → %s", (env, variable) => {
    const error = errorOf(env);
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}: expected `)).toBe(true);
    expect(error.message).not.toMatch(/Invalid|expected expected/);
    expect(error.message).not.toContain("\n");
  });

  it("takes MAIL_FROM as a bare address or as Name <address>, and says what a bad one should be", () => {
    expect(loadConfig({ MAIL_FROM: "carts@example.com" }).mailFrom).toBe("carts@example.com");
    expect(loadConfig({ MAIL_FROM: "Bretter Shop <carts@example.com>" }).mailFrom).toBe("Bretter Shop <carts@example.com>");
    expect(errorOf({ MAIL_FROM: "carts" }).message).toBe('MAIL_FROM: expected an email address, like shop@example.com (got "carts")');
  });

  it("never echoes a secret's value in the error", () => {
    const error = errorOf({ ADMIN_PASSWORD: "hunter" });
    expect(error.message).not.toContain("hunter");
  });

  it("refuses SHOPIFY_ADMIN_API_ORIGIN in production", () => {
    expect(loadConfig({ SHOPIFY_ADMIN_API_ORIGIN: "http://127.0.0.1:9999" }).adminApiOrigin).toBe("http://127.0.0.1:9999");
    expect(errorOf({ NODE_ENV: "production", SHOPIFY_ADMIN_API_ORIGIN: "http://127.0.0.1:9999" }).variable).toBe(
      "SHOPIFY_ADMIN_API_ORIGIN",
    );
  });
});
