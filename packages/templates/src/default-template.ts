/**
 * The default cart-recovery email, as Liquid source a merchant can copy and edit. CSS lives
 * in the <style> block and is inlined once when the template is compiled; only media queries
 * (small screens, dark mode) stay in <head>, which is why they use !important. The plain-text
 * part is derived from this HTML: elements with class `text-skip` (pictures) are left out of
 * it, and links with class `product-link` show their text without the URL. Outlook for Windows
 * ignores max-width, so a fixed 600 px table wraps the container for it alone (`<!--[if mso]>`).
 */

export const DEFAULT_SUBJECT = "{{ customer.first_name | default: 'Hi' }}, your cart at {{ shop.name }} is waiting";

export const DEFAULT_PREHEADER =
  "{% if cart.empty %}Come back and see what's new.{% else %}Still thinking about {{ cart.items.first.title }}? We saved your cart.{% endif %}";

export const DEFAULT_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>{{ subject }}</title>
<style>
  body { margin: 0; padding: 0; width: 100%; background-color: #f4f4f5; color: #18181b; font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; -webkit-text-size-adjust: 100%; }
  table { border-collapse: collapse; }
  img { border: 0; display: block; outline: none; text-decoration: none; }
  .wrapper { width: 100%; background-color: #f4f4f5; }
  .container { width: 100%; max-width: 600px; background-color: #ffffff; border-radius: 8px; }
  .header { padding: 24px 24px 8px 24px; font-size: 20px; font-weight: 700; color: #18181b; }
  .intro { padding: 8px 24px 16px 24px; font-size: 16px; line-height: 24px; color: #3f3f46; }
  .item { border-top: 1px solid #e4e4e7; }
  .item-image { width: 80px; padding: 16px 0 16px 24px; vertical-align: top; }
  .item-image img { width: 80px; height: auto; border-radius: 6px; }
  .no-image { width: 80px; height: 80px; background-color: #e4e4e7; color: #71717a; font-size: 11px; text-align: center; line-height: 80px; border-radius: 6px; }
  .item-details { padding: 16px 12px; vertical-align: top; font-size: 15px; line-height: 22px; color: #18181b; word-break: break-word; }
  .item-qty { font-size: 13px; color: #71717a; }
  .item-price { padding: 16px 24px 16px 0; vertical-align: top; text-align: right; font-size: 15px; font-weight: 600; color: #18181b; white-space: nowrap; }
  .total { border-top: 1px solid #e4e4e7; padding: 16px 24px; text-align: right; font-size: 16px; font-weight: 700; color: #18181b; }
  .cta { padding: 8px 24px 32px 24px; }
  .button-cell { border-radius: 6px; background-color: #18181b; }
  .button { display: inline-block; padding: 14px 28px; font-size: 16px; font-weight: 600; color: #ffffff; text-decoration: none; border-radius: 6px; }
  .footer { padding: 16px 24px 32px 24px; font-size: 12px; line-height: 18px; color: #71717a; text-align: center; }
  .footer a { color: #71717a; text-decoration: underline; }
  .preheader { display: none; max-height: 0; overflow: hidden; mso-hide: all; font-size: 1px; line-height: 1px; opacity: 0; color: transparent; }
  @media only screen and (max-width: 480px) {
    .item-image { width: 64px !important; padding-left: 16px !important; }
    .item-image img, .no-image { width: 64px !important; }
    .header, .intro, .total, .cta, .footer { padding-left: 16px !important; padding-right: 16px !important; }
    .item-price { padding-right: 16px !important; }
    .button { display: block !important; text-align: center !important; }
  }
  @media (prefers-color-scheme: dark) {
    body, .wrapper { background-color: #09090b !important; }
    .container { background-color: #18181b !important; }
    .header, .item-details, .item-price, .total { color: #fafafa !important; }
    .intro { color: #d4d4d8 !important; }
    .item, .total { border-color: #3f3f46 !important; }
    .button-cell { background-color: #fafafa !important; }
    .button { color: #18181b !important; }
  }
</style>
</head>
<body>
<div class="preheader">{{ preheader }}</div>
<table role="presentation" class="wrapper" width="100%" cellpadding="0" cellspacing="0" border="0">
<tr>
<td align="center" style="padding: 24px 8px;">
<!--[if mso]><table role="presentation" width="600" align="center" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->
<table role="presentation" class="container" width="100%" cellpadding="0" cellspacing="0" border="0">
<tr><td class="header" colspan="3">{{ shop.name }}</td></tr>
{% if cart.empty %}
<tr><td class="intro" colspan="3">Hi {{ customer.first_name | default: "there" }}, your cart is empty now, but there is plenty more to see.</td></tr>
<tr><td class="cta" colspan="3">
<table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr><td class="button-cell"><a class="button" href="https://{{ shop.domain }}">Visit {{ shop.name }}</a></td></tr></table>
</td></tr>
{% else %}
<tr><td class="intro" colspan="3">Hi {{ customer.first_name | default: "there" }}, you left something in your cart. We saved it for you:</td></tr>
{% for item in cart.items %}
<tr class="item">
<td class="item-image text-skip" width="80">{% if item.image %}<img src="{{ item.image | img_url: '160x' }}" width="80" alt="{{ item.title }}">{% else %}<div class="no-image">No image</div>{% endif %}</td>
<td class="item-details"><a class="product-link" href="{{ item.url | default: recovery_url }}" style="color: inherit; text-decoration: none;">{{ item.title }}</a><br><span class="item-qty">Quantity: {{ item.quantity }}</span></td>
<td class="item-price">{{ item.line_price | money }}</td>
</tr>
{% endfor %}
<tr><td class="total" colspan="3">Total: {{ cart.total | money }}</td></tr>
<tr><td class="cta" colspan="3" align="center">
{% if discount_code %}<p class="discount" style="margin: 0 0 12px;">{{ discount_description | default: "A discount" }} with code <strong>{{ discount_code }}</strong>, applied when you return to your cart.</p>{% endif %}<table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr><td class="button-cell" align="center"><a class="button" href="{{ recovery_url }}">Return to your cart</a></td></tr></table>
</td></tr>
{% endif %}
<tr><td class="footer" colspan="3">You are receiving this because you added items to your cart at {{ shop.name }}.<br><a href="{{ unsubscribe_url }}">Unsubscribe</a></td></tr>
</table>
<!--[if mso]></td></tr></table><![endif]-->
</td>
</tr>
</table>
</body>
</html>
`;

export const DEFAULT_TEMPLATE = { subject: DEFAULT_SUBJECT, preheader: DEFAULT_PREHEADER, html: DEFAULT_HTML } as const;
