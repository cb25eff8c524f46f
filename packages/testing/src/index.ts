export { artifactPath, CHROMIUM, CHROMIUM_ARGS, launchChromium, launchPersistentChromium, newProfileDir } from "./chromium.ts";
export { type AppProcess, type AppProcessOptions, startAppProcess } from "./app-process.ts";
export { type CampaignSettings, type MerchantSession, type ShopSettingsForm, signInMerchant } from "./merchant.ts";
export { deliverWebhook, signedProxyUrl, type WebhookDelivery, webhookHeaders } from "./shopify-requests.ts";
export { type MailSink, recipients, startMailSink } from "./smtp-sink.ts";
export { availableDatabases, createScratchDatabase, type DatabaseKind, type ScratchDatabase } from "./test-database.ts";
