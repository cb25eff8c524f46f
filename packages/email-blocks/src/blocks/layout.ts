/**
 * Table rows every block compiles to. Each block is one `<tr><td>` of the 600 px container, so
 * blocks stack the same way in every client; styles are written inline (Gmail drops <style> in
 * some views) and only media queries live in <head>.
 */
export const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

export function row(cells: string, style = "padding: 8px 24px;", className = "block"): string {
  return `<tr><td class="${className}" style="${style}">${cells}</td></tr>\n`;
}

/** A bullet-proof button: a table cell carries the colour so Outlook, which ignores <a> padding, still shows it. */
export function button(href: string, label: string, color: string, textColor: string, align: string): string {
  return (
    `<table role="presentation" cellpadding="0" cellspacing="0" border="0" align="${align}" style="margin: 0 ${align === "center" ? "auto" : "0"};">` +
    `<tr><td class="button-cell" style="border-radius: 6px; background-color: ${color};" bgcolor="${color}">` +
    `<a class="button" href="${href}" style="display: inline-block; padding: 14px 28px; font-size: 16px; font-weight: 600; color: ${textColor}; text-decoration: none; border-radius: 6px;">${label}</a>` +
    "</td></tr></table>"
  );
}
