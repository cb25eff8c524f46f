import { describe, expect, it } from "vitest";
import { MailAddress, mailAddressProblem } from "./mail-address.ts";

const label = (n: number) => "a".repeat(n);

describe("mail addresses a relay will take", () => {
  it("accepts ordinary addresses and ones at each length limit", () => {
    for (const ok of ["shop@example.com", "first.last+cart@mail.shop.example", `${label(64)}@example.com`, `a@${label(63)}.com`, `a@${[label(63), label(63), label(63), label(57)].join(".")}.io`]) {
      expect(mailAddressProblem(ok), ok).toBeNull();
    }
  });

  it("refuses what SMTP or DNS would: a domain part over 63, a domain over 253, a local part over 64", () => {
    expect(mailAddressProblem(`shop@${label(300)}.com`)).toBe("must be an email address whose domain parts (between dots) have at most 63 characters each");
    expect(mailAddressProblem(`a@${label(64)}.com`)).toContain("at most 63 characters each");
    expect(mailAddressProblem(`a@${[label(63), label(63), label(63), label(63)].join(".")}.io`)).toBe("must be an email address whose domain (after the @) has at most 253 characters");
    expect(mailAddressProblem(`${label(65)}@example.com`)).toBe("must be an email address with at most 64 characters before the @");
    expect(mailAddressProblem(`${label(64)}@${[label(63), label(63), label(63), label(57)].join(".")}.io`)).toBe("must be at most 254 characters");
    expect(mailAddressProblem("shop at example")).toBe("must be an email address, like shop@example.com");
  });

  it("is a schema whose issue carries the same words", () => {
    expect(MailAddress.safeParse("shop@example.com").success).toBe(true);
    expect(MailAddress.safeParse(`shop@${label(300)}.com`).error?.issues[0]?.message).toContain("at most 63 characters each");
  });
});
