import { type CatalogRef, cartItems, discount, restoreCart } from "./blocks/cart.ts";
import { columns, content, divider, header, spacer } from "./blocks/content.ts";
import { footer, liquid } from "./blocks/footer.ts";
import { FONT } from "./blocks/layout.ts";
import type { Block, BlockDocument, DocumentStyle } from "./document.ts";

/** What a campaign step stores and the send path renders (StepTemplate in @cartback/core). */
export type CompiledDocument = { subject: string; preheader: string; html: string };

export function compileBlock(block: Block, mapping: CatalogRef, style: DocumentStyle): string {
  switch (block.type) {
    case "header":
      return header(block);
    case "heading":
    case "text":
    case "image":
    case "button":
      return content(block);
    case "divider":
      return divider(block);
    case "spacer":
      return spacer(block);
    case "columns":
      return columns(block, style);
    case "cartItems":
      return cartItems(block, mapping);
    case "restoreCart":
      return restoreCart(block);
    case "discount":
      return discount(block);
    case "footer":
      return footer(block);
    case "liquid":
      return liquid(block);
    default: {
      const unreachable: never = block;
      throw new Error(`unexpected block ${JSON.stringify(unreachable)}`);
    }
  }
}

// Only media queries stay in <head> (hence !important): the block markup carries inline styles.
function head(style: DocumentStyle): string {
  return `<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>{{ subject }}</title>
<style>
  a { color: ${style.linkColor}; }
  @media only screen and (max-width: 480px) {
    .block { padding-left: 16px !important; padding-right: 16px !important; }
    .column { display: block !important; width: 100% !important; padding: 0 !important; }
    .button { display: block !important; text-align: center !important; }
  }
  @media (prefers-color-scheme: dark) {
    body, .wrapper { background-color: #09090b !important; }
    .container { background-color: #18181b !important; color: #fafafa !important; }
    .button-cell { background-color: #fafafa !important; }
    .button { color: #18181b !important; }
  }
</style>
</head>`;
}

/**
 * The whole email: a full-width wrapper table, a 600 px container (a fixed table for Outlook,
 * which ignores max-width), one row per block.
 */
export function compileDocument(doc: BlockDocument, mapping: CatalogRef): CompiledDocument {
  const s = doc.style;
  const rows = doc.blocks.map((block) => compileBlock(block, mapping, s)).join("");
  const html = `<!DOCTYPE html>
<html lang="en">
${head(s)}
<body style="margin: 0; padding: 0; width: 100%; background-color: ${s.background}; -webkit-text-size-adjust: 100%;">
<div class="preheader" style="display: none; max-height: 0; overflow: hidden; mso-hide: all; font-size: 1px; line-height: 1px; opacity: 0; color: transparent;">{{ preheader }}</div>
<table role="presentation" class="wrapper" width="100%" cellpadding="0" cellspacing="0" border="0" style="width: 100%; background-color: ${s.background};">
<tr>
<td align="center" style="padding: 24px 8px;">
<!--[if mso]><table role="presentation" width="600" align="center" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->
<table role="presentation" class="container" width="100%" cellpadding="0" cellspacing="0" border="0" style="width: 100%; max-width: 600px; background-color: ${s.contentBackground}; color: ${s.textColor}; font-family: ${FONT}; border-radius: 8px;">
${rows}</table>
<!--[if mso]></td></tr></table><![endif]-->
</td>
</tr>
</table>
</body>
</html>
`;
  return { subject: doc.subject, preheader: doc.preheader, html };
}
