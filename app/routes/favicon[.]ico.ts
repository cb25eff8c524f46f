// Browsers ask for it on every admin page; answering keeps the log free of 404 noise.
export const loader = () => new Response(null, { status: 204, headers: { "Cache-Control": "public, max-age=86400" } });
