export { artifactPath, CHROMIUM, CHROMIUM_ARGS, launchChromium, launchPersistentChromium, newProfileDir } from "./chromium.ts";
