import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json" with { type: "json" };
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DayChart } from "./DayChart.tsx";

const render = (values: number[], days = values.map((_, i) => `2026-12-0${i + 1}`)) =>
  renderToStaticMarkup(
    <AppProvider i18n={en}>
      <DayChart title="Clicks" days={days} values={values} color="#000" format={String} tableId="per-day" />
    </AppProvider>,
  );
const bars = (html: string) => [...html.matchAll(/<rect [^>]*height="([\d.]+)"[^>]*><title>([^<]*)<\/title>/g)].map((m) => ({ height: Number(m[1]), title: m[2]! }));

describe("DayChart", () => {
  it("draws one bar a day, heights in proportion, each with the day and figure as its tooltip", () => {
    const drawn = bars(render([0, 3, 6]));
    expect(drawn.map((b) => b.title)).toEqual(["2026-12-01: Clicks 0", "2026-12-02: Clicks 3", "2026-12-03: Clicks 6"]);
    expect(drawn[0]!.height).toBe(0);
    expect(drawn[2]!.height).toBeCloseTo(drawn[1]!.height * 2, 5);
  });

  it("is an image named by its heading and described by its summary and the per-day table", () => {
    const html = render([1, 2]);
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="([^"]+)"[^>]*aria-describedby="per-day"/);
    const labelledBy = /aria-labelledby="([^"]+)"/.exec(html)![1]!;
    expect(html).toContain(`id="${labelledBy}"`);
    expect(html).toContain("<desc>Clicks each day from 2026-12-01 to 2026-12-02, 3 in all.");
  });

  it("keeps a flat axis for a period with nothing in it", () => {
    const html = render([0, 0, 0]);
    expect(bars(html).every((b) => b.height === 0)).toBe(true);
    expect(html).not.toContain("NaN");
  });
});
