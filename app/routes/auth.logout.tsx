import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { signOut } from "../server/admin-auth/session.ts";

export const loader = ({ request, context }: LoaderFunctionArgs) => signOut(context.runtime, request);
export const action = ({ request, context }: ActionFunctionArgs) => signOut(context.runtime, request);
