import type { Widen } from "../types";
import type zh from "../zh/auth";

const auth: Widen<typeof zh> = {
  title: "Staff sign-in",
};

export default auth;
